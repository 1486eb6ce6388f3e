/// Why a command could not be carried out. Every case is the user's to fix (or to know), so
/// each becomes an ephemeral reply with `description` as its text; none affects other guilds.
package enum PlayerCommandError: Error, Sendable, Equatable, CustomStringConvertible {
    case notInVoiceChannel
    case nothingPlaying
    case alreadyPaused
    case notPaused
    case volumeOutOfRange(Int)
    case crossfadeOutOfRange(Int)
    case badTimeFormat(String)
    case seekBeyondEnd(positionMs: Int64, durationMs: Int64)
    case noSuchPosition(Int, count: Int)
    case queueEmpty
    /// The resolver refused or failed; the text says why (a refused URL, not found, too long).
    case refused(String)
    /// Joining the voice channel failed.
    case voiceUnavailable(String)
    case unknownCommand(String)
    case missingOption(String)
    case notInGuild
    case shuttingDown

    package var description: String {
        switch self {
        case .notInVoiceChannel: "Join a voice channel first."
        case .nothingPlaying: "Nothing is playing."
        case .alreadyPaused: "Already paused."
        case .notPaused: "Not paused."
        case let .volumeOutOfRange(value): "Volume must be 0–1000 (got \(value))."
        case let .crossfadeOutOfRange(value): "Crossfade must be 0–12 seconds (got \(value))."
        case let .badTimeFormat(text): "\"\(text)\" is not a time: use mm:ss, h:mm:ss or seconds."
        case let .seekBeyondEnd(position, duration):
            "\(TimeText.clock(position)) is past the end of the track (\(TimeText.clock(duration)))."
        case let .noSuchPosition(position, count):
            count == 0 ? "The queue is empty." : "There is no track \(position) in the queue (1–\(count))."
        case .queueEmpty: "The queue is empty."
        case let .refused(reason): "Cannot play that: \(reason)"
        case let .voiceUnavailable(reason): "Could not join voice: \(reason)"
        case let .unknownCommand(name): "Unknown command /\(name)."
        case let .missingOption(name): "Missing option \(name)."
        case .notInGuild: "Commands work in servers, not in direct messages."
        case .shuttingDown: "The bot is restarting; try again in a moment."
        }
    }
}
