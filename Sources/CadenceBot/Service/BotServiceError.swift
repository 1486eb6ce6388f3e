/// Why the service stopped on its own. `isConfigurationProblem` errors (a bad token, an intent
/// not enabled) exit with status 2 because restarting cannot fix them; the rest exit 1.
public struct BotServiceError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var isConfigurationProblem: Bool

    public init(_ message: String, isConfigurationProblem: Bool = false) {
        self.message = message
        self.isConfigurationProblem = isConfigurationProblem
    }

    public var description: String { message }
}
