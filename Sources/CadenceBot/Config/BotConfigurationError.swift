/// Why the configuration was refused: every problem found, one per setting, so a person fixes
/// them all in one go. `cadence bot` prints each line and exits with status 2.
package struct BotConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One setting that is missing or wrong.
    package struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The environment variable (or config-file key) a person has to change.
        package var setting: String
        /// What is wrong, never echoing a secret's value.
        package var message: String

        package init(setting: String, message: String) {
            self.setting = setting
            self.message = message
        }

        package var description: String { "\(setting): \(message)" }
    }

    package var problems: [Problem]

    package init(problems: [Problem]) { self.problems = problems }

    /// One line per problem, ready for stderr.
    package var lines: [String] { problems.map { "configuration: \($0)" } }

    package var description: String { lines.joined(separator: "\n") }
}
