// swift-tools-version: 6.1
import PackageDescription

// The benchmark lives in its own package so `make test` never builds its dependencies.
let package = Package(
    name: "CadenceBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Cadence", path: ".."),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2")
    ],
    targets: [
        .systemLibrary(name: "CBenchOpus", pkgConfig: "opus"),
        // Counts the process's heap allocations (allocations per frame in the table).
        .target(name: "CMallocCount"),
        .executableTarget(
            name: "CadenceBench",
            dependencies: [
                "CBenchOpus",
                "CMallocCount",
                .product(name: "AudioEngine", package: "Cadence"),
                .product(name: "MLS", package: "Cadence"),
                .product(name: "Store", package: "Cadence"),
                .product(name: "DiscordVoice", package: "Cadence"),
                .product(name: "DAVE", package: "Cadence"),
                .product(name: "VoiceServerSim", package: "Cadence"),
                .product(name: "LavalinkNode", package: "Cadence"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift")
            ])
    ],
    swiftLanguageModes: [.v6]
)
