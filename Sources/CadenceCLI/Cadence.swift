import ArgumentParser

/// The `cadence` command: plays audio through the in-process engine, looks up
/// Uma Musume data and runs the Discord bot.
@main
struct Cadence: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cadence",
        abstract: "A native Swift audio engine and Discord music bot.",
        subcommands: [])
}
