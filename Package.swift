// swift-tools-version: 6.1
import PackageDescription

// Layers, lowest first; a target only depends on targets above it in this list.
//   1  CFFmpeg · COpus · CSodium · COpenSSL · CZlib · CEbur128 · CSoundTouch   system libraries with tiny C shims
//   2  MLS                           RFC 9420 subset, no Discord knowledge
//   2  DAVE                          Discord's E2EE on top of MLS: session state machine, media frames
//   3  AudioEngine · AudioDSP · Resolver · WebSocketSession (the Discord clients' shared socket skeleton)
//   3  LavalinkProtocol              Lavalink v4's encoded tracks and JSON values; Foundation only
//   4  Store (SQLite: records, caches, metrics) · DiscordVoice · DiscordGateway
//   4½ UMA (the UMA API client over Store's cache) · ResolutionStore (Resolver's cache in Store)
//   5  CadenceBot                    slash commands, per-guild players, the headless service
//   5  LavalinkNode                  `cadence node`: Lavalink v4's HTTP + WebSocket surface over the engine
//   -  VoiceServerSim · DiscordSim · MediaServerSim · UMAServerSim, with SimWebSocket (the first
//      two's WebSocket server side)   local servers: test support, the benchmark and
//      cadence-demo; the cadence product never links them
//   6  cadence (CadenceCLI) · cadence-demo (CadenceDemo, what `make run` runs without a token)
let package = Package(
    name: "Cadence",
    platforms: [.macOS(.v15)],
    // Products are what something outside this package uses: the two executables, the libraries
    // the benchmark package (Benchmarks/) links, AudioDSP (its settings are part of the Player's
    // API), and CadenceBot and LavalinkNode for a service that embeds the bot or a node. Every
    // other module is package-internal.
    products: [
        .executable(name: "cadence", targets: ["CadenceCLI"]),
        .executable(name: "cadence-demo", targets: ["CadenceDemo"]),
        .library(name: "AudioEngine", targets: ["AudioEngine"]),
        .library(name: "AudioDSP", targets: ["AudioDSP"]),
        .library(name: "MLS", targets: ["MLS"]),
        .library(name: "DAVE", targets: ["DAVE"]),
        .library(name: "DiscordVoice", targets: ["DiscordVoice"]),
        // The benchmark's local voice server (the only simulator with a user outside this package).
        .library(name: "VoiceServerSim", targets: ["VoiceServerSim"]),
        .library(name: "Store", targets: ["Store"]),
        .library(name: "CadenceBot", targets: ["CadenceBot"]),
        .library(name: "LavalinkNode", targets: ["LavalinkNode"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2")
    ],
    targets: [
        // MARK: C system libraries
        .systemLibrary(
            name: "CFFmpeg", pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswresample-dev", "libavutil-dev"])]),
        .systemLibrary(name: "COpus", pkgConfig: "opus", providers: [.apt(["libopus-dev"])]),
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CEbur128", pkgConfig: "libebur128", providers: [.apt(["libebur128-dev"])]),
        .systemLibrary(name: "CSoundTouch", pkgConfig: "soundtouch", providers: [.apt(["libsoundtouch-dev"])]),

        // MARK: Libraries
        .target(name: "MLS", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "DAVE", dependencies: ["MLS", "COpenSSL", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "AudioEngine", dependencies: ["CFFmpeg", "COpus", "AudioDSP"]),
        // The WebSocket session skeleton both Discord clients share (outbox, heartbeat, deadline).
        .target(
            name: "WebSocketSession",
            dependencies: [
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log")
            ]),
        .target(name: "AudioDSP", dependencies: ["CEbur128", "CSoundTouch"]),
        .target(name: "Resolver", dependencies: []),
        .target(name: "LavalinkProtocol", dependencies: []),
        .target(
            name: "Store",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log")]),
        // The UMA API's client on top of the store's HTTP cache.
        .target(
            name: "UMA",
            dependencies: [
                "Store",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log")
            ]),
        // Where Store and Resolver are joined: the resolver's cache kept in SQLite.
        .target(name: "ResolutionStore", dependencies: ["Store", "Resolver"]),
        .target(
            name: "DiscordVoice",
            dependencies: [
                "AudioEngine", "CSodium", "DAVE", "WebSocketSession",
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log")
            ]),
        .target(
            name: "DiscordGateway",
            dependencies: [
                "CZlib", "WebSocketSession",
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log")
            ]),

        .target(
            name: "CadenceBot",
            dependencies: [
                "AudioEngine", "AudioDSP", "DiscordVoice", "DiscordGateway", "Resolver", "Store", "UMA",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio")
            ]),

        .target(
            name: "LavalinkNode",
            dependencies: [
                "AudioEngine", "AudioDSP", "DiscordVoice", "Resolver", "Store", "CFFmpeg", "LavalinkProtocol",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras")
            ]),

        // MARK: Local servers (tests, benchmark, `make run`)
        // The server side of a WebSocket, shared by DiscordSim's gateway and VoiceServerSim's.
        .target(
            name: "SimWebSocket",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio")
            ]),
        .target(
            name: "DiscordSim",
            dependencies: [
                "CZlib", "SimWebSocket",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio")
            ]),
        .target(
            name: "VoiceServerSim",
            dependencies: [
                "CSodium", "COpus", "MLS", "DAVE", "SimWebSocket",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio")
            ]),
        .target(
            name: "UMAServerSim",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio")
            ]),
        .target(
            name: "MediaServerSim",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio")
            ]),

        // MARK: Executable
        .executableTarget(
            name: "CadenceCLI",
            dependencies: [
                "AudioEngine", "AudioDSP", "DiscordVoice", "Store", "UMA", "ResolutionStore", "Resolver", "CadenceBot",
                "LavalinkNode",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log")
            ]),

        // `make run` without a token: the engine into a local voice server. Its own executable, so
        // the `cadence` binary links no simulator.
        .executableTarget(
            name: "CadenceDemo",
            dependencies: [
                "AudioEngine", "DiscordVoice", "VoiceServerSim",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ]),

        // MARK: Tests
        // Test support only (no product links it): the shared recording sink needs the engine.
        .target(name: "CadenceTestSupport", dependencies: ["AudioEngine"], path: "Tests/CadenceTestSupport"),
        // Independent DAVE members (davey, libdave) for any suite that puts one into a call.
        .target(name: "DAVEPeers", dependencies: ["CadenceTestSupport", "VoiceServerSim"], path: "Tests/DAVEPeers"),
        .testTarget(name: "AudioEngineTests", dependencies: ["CadenceTestSupport", "AudioEngine", "AudioDSP", "COpus", "MediaServerSim"]),
        .testTarget(name: "AudioDSPTests", dependencies: ["CadenceTestSupport", "AudioDSP"]),
        .testTarget(
            name: "CadenceCLITests", dependencies: ["CadenceTestSupport", "Store", "MediaServerSim", "VoiceServerSim", "DAVEPeers"]),
        .testTarget(
            name: "DAVETests",
            dependencies: ["CadenceTestSupport", "DAVE", "MLS", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "MLSTests", dependencies: ["CadenceTestSupport", "MLS"]),
        .testTarget(
            name: "DiscordVoiceTests",
            dependencies: [
                "CadenceTestSupport", "DAVEPeers", "DiscordVoice", "DAVE", "MLS", "VoiceServerSim", "AudioEngine",
                .product(name: "Logging", package: "swift-log")
            ],
            exclude: ["Interop"]),
        .testTarget(
            name: "StoreTests",
            dependencies: ["CadenceTestSupport", "Store", "UMA", "UMAServerSim", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "DiscordGatewayTests",
            dependencies: ["DiscordGateway", "DiscordSim", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "CadenceBotTests",
            dependencies: [
                "CadenceTestSupport", "DAVEPeers", "CadenceBot", "AudioEngine", "AudioDSP", "DiscordGateway", "Store",
                "Resolver", "DiscordSim", "VoiceServerSim", "MediaServerSim", "UMAServerSim",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift")
            ]),
        .testTarget(
            name: "LavalinkProtocolTests", dependencies: ["CadenceTestSupport", "LavalinkProtocol"],
            exclude: ["lavalink_codec.py"]),
        .testTarget(
            name: "LavalinkClientTests",
            dependencies: ["CadenceTestSupport", "LavalinkProtocol", "MediaServerSim", "VoiceServerSim"],
            exclude: ["Clients"]),
        .testTarget(
            name: "LavalinkNodeTests",
            dependencies: [
                "CadenceTestSupport", "LavalinkNode", "AudioDSP", "MediaServerSim", "VoiceServerSim", "Resolver",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log")
            ]),
        .testTarget(name: "ResolverTests", dependencies: ["CadenceTestSupport", "Resolver", "MediaServerSim", "AudioEngine"]),
        .testTarget(
            name: "SourceFaultTests",
            dependencies: ["CadenceTestSupport", "AudioEngine", "DiscordVoice", "VoiceServerSim", "MediaServerSim"])
    ],
    swiftLanguageModes: [.v6]
)
