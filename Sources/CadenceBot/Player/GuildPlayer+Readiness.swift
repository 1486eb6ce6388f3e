extension GuildPlayer {
    /// Whether `command` could run against the player's state right now, without changing it.
    ///
    /// The service asks this before it defers, so "Nothing is playing." and its kind are answered
    /// privately at once. The command itself checks again when it runs: the state may have moved
    /// on in between, and then the error is sent privately after the deferral instead.
    package func readiness(for command: String, position: Int? = nil) -> PlayerCommandError? {
        switch command {
        case "pause":
            guard current != nil, engine != nil else { return .nothingPlaying }
            return isPaused ? .alreadyPaused : nil
        case "resume":
            guard current != nil, engine != nil else { return .nothingPlaying }
            return isPaused ? nil : .notPaused
        case "seek":
            return current != nil && engine != nil ? nil : .nothingPlaying
        case "skip", "nowplaying":
            return current == nil ? .nothingPlaying : nil
        case "stop":
            return current == nil && queue.isEmpty ? .nothingPlaying : nil
        case "shuffle":
            return queue.count > 0 ? nil : .queueEmpty
        case "remove":
            guard let position else { return nil }
            return (1...max(1, queue.count)).contains(position) && queue.count > 0
                ? nil : .noSuchPosition(position, count: queue.count)
        default:
            return nil
        }
    }
}
