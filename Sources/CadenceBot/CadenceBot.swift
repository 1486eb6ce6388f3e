// CadenceBot: the Discord music bot. Configuration (environment over a JSON file over
// defaults), slash commands, one `GuildPlayer` per guild on the engine's `Player`, the UMA
// lookups, the health endpoint, and the service that runs them under graceful shutdown.
//
// Public face: `BotLauncher.run(environment:configFile:version:)`, what `cadence bot` calls.
// Everything else is `package`: the CLI and the tests are its only other users.
