/// Why the service stopped on its own. `isConfigurationProblem` errors (a bad token, an intent
/// not enabled) exit with status 2 because restarting cannot fix them; the rest exit 1.
package struct BotServiceError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package var isConfigurationProblem: Bool

    package init(_ message: String, isConfigurationProblem: Bool = false) {
        self.message = message
        self.isConfigurationProblem = isConfigurationProblem
    }

    package var description: String { message }
}
