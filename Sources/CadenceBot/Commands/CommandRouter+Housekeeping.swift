extension CommandRouter {
    /// Leaves every guild whose player has been idle or alone for its limit; returns which
    /// guilds were left and why. The service calls this every few seconds.
    @discardableResult
    package func autoLeaveSweep() async -> [String: GuildPlayer.LeaveReason] {
        var left: [String: GuildPlayer.LeaveReason] = [:]
        for player in activePlayers {
            if let reason = await player.leaveReason() {
                left[player.guildID] = reason
                await leave(guildID: player.guildID)
            }
        }
        return left
    }
}
