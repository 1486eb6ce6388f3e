import ArgumentParser
import Foundation

/// The `cadence` command: plays audio through the in-process engine, looks up
/// Uma Musume data and runs the Discord bot.
///
/// Exit codes: 0 success, 1 the work failed (one line on stderr), 2 usage error.
@main
struct Cadence: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cadence",
        abstract: "A native Swift audio engine and Discord music bot.",
        subcommands: [PlayCommand.self, UMACommand.self, DBCommand.self, BotCommand.self, NodeCommand.self])

    static func main() async {
        do {
            var command = try parseAsRoot(LoudnessOption.expandingBareNormalize(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("cadence: \(failure.message)\n".utf8))
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure || code.rawValue == 64 {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// A failure of the work itself (not of the command line): exit status 1 with one line.
struct CommandFailure: Error {
    let message: String
}
