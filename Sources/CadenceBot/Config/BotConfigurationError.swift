/// Why the configuration was refused: every problem found, one per setting, so a person fixes
/// them all in one go. `cadence bot` prints each line and exits with status 2.
public struct BotConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One setting that is missing or wrong.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The environment variable (or config-file key) a person has to change.
        public var setting: String
        /// What is wrong, never echoing a secret's value.
        public var message: String

        public init(setting: String, message: String) {
            self.setting = setting
            self.message = message
        }

        public var description: String { "\(setting): \(message)" }
    }

    public var problems: [Problem]

    public init(problems: [Problem]) { self.problems = problems }

    /// One line per problem, ready for stderr.
    public var lines: [String] { problems.map { "configuration: \($0)" } }

    public var description: String { lines.joined(separator: "\n") }
}
