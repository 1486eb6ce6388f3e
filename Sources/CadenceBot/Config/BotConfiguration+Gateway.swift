import DiscordGateway

extension BotConfiguration {
    /// How the bot connects: every shard's client settings (endpoints, compression) and the
    /// shard count, nil meaning the one Discord recommends in `/gateway/bot`.
    package var shardClusterConfiguration: GatewayShardCluster.Configuration {
        let endpoints = DiscordEndpoints(apiBaseURL: discordAPI.absoluteString, gatewayURL: discordGateway?.absoluteString)
        return GatewayShardCluster.Configuration(
            client: GatewayClient.Configuration(endpoints: endpoints, zlibStream: gatewayCompression),
            shardCount: shardCount)
    }
}
