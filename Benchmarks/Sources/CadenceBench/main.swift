import Foundation

// `make bench`: Cadence and the design it replaces, side by side, on this machine, all to the
// local voice server over loopback with transport encryption. See issue 4 and README.md.

let benchStart = Date()
let seconds = Double(ProcessInfo.processInfo.environment["BENCH_SECONDS"] ?? "") ?? 12
let resultsDirectory = URL(fileURLWithPath: "results")
let fixtures = try Fixtures.make(seconds: seconds, in: resultsDirectory.appendingPathComponent("tmp"))

func log(_ text: String) { FileHandle.standardError.write(Data("bench: \(text)\n".utf8)) }

var results: [ScenarioResult] = []
/// discord.py for baseline (b): BENCH_PYTHON, else the repo's .venv (a worktree borrows /work/main's).
let venvPython =
    ProcessInfo.processInfo.environment["BENCH_PYTHON"]
    ?? ["../.venv/bin/python", "/work/main/.venv/bin/python"].first { FileManager.default.isExecutableFile(atPath: $0) }
    ?? "../.venv/bin/python"
@MainActor func record(_ name: String, streams: Int, _ body: () async throws -> ScenarioResult) async {
    if let only = ProcessInfo.processInfo.environment["BENCH_ONLY"], !name.contains(only) { return }
    log("\(name) …")
    let clock = ContinuousClock(), began = clock.now
    do {
        let result = try await body()
        results.append(result)
        log("\(name) done in " + String(format: "%.1f s", (clock.now - began).milliseconds / 1000))
    } catch {
        var failed = ScenarioResult(name: name, streams: streams, seconds: seconds)
        failed.note = "failed: \(error)"
        results.append(failed)
        log("\(name) failed: \(error)")
    }
}

await record("libopus floor (PCM in memory)", streams: 1) { try EncodingFloor.run(pcmFile: fixtures.pcm) }
// The engine's own cost, one offline player per setup, and its allocations per frame.
let longFixtures = try Fixtures.make(seconds: 40, in: resultsDirectory.appendingPathComponent("tmp/long"))
for setup in EngineCost.setups(longFixtures) {
    await record("engine cost: \(setup.name)", streams: 1) { try EngineCost.run(setup) }
}
await record("engine cost: send path allocations (DAVE + transport, real time)", streams: 1) {
    try await SendPathAllocations.run(file: longFixtures.mp3)
}
await record("dave frame encryption (FrameEncryptor)", streams: 1) { try DAVECost.run() }
await record("dave on vs off N=10 (MP3→Opus)", streams: 10) {
    try await DAVEStreams(file: fixtures.mp3, streams: 10, seconds: seconds).run()
}
// `cadence node` through its REST API, beside the same players in-process (both in the table).
for n in [10, 100] {
    await record("cadence node REST N=\(n) (MP3→Opus, DAVE on)", streams: n) {
        let (node, inProcess) = try await NodeStreams(file: fixtures.mp3, streams: n, seconds: seconds).run()
        results.append(inProcess)
        return node
    }
}
for n in [1, 10, 50, 100] {
    let name = "cadence transcode N=\(n) (MP3→Opus)"
    await record(name, streams: n) { try await CadenceStreams(name: name, file: fixtures.mp3, streams: n, seconds: seconds).run() }
    if n == 1 {
        let pass = "cadence passthrough N=1 (WebM/Opus)"
        await record(pass, streams: 1) { try await CadenceStreams(name: pass, file: fixtures.webm, streams: 1, seconds: seconds).run() }
    }
    if n == 10 {
        let hog = "cadence transcode N=10+CPU hog (MP3→Opus)"
        await record(hog, streams: 10) {
            try await CadenceStreams(name: hog, file: fixtures.mp3, streams: 10, seconds: seconds, withCPUHog: true).run()
        }
    }
    if n != 50 {
        await record("baseline (a) ffmpeg child N=\(n) (MP3)", streams: n) {
            try await SubprocessBaseline(file: fixtures.mp3, streams: n, seconds: seconds).run()
        }
    }
    if n == 1 || n == 10 {
        await record("baseline (b) discord.py N=\(n) (MP3)", streams: n) {
            try await DiscordPyBaseline(file: fixtures.mp3, streams: n, seconds: seconds, python: venvPython).run()
        }
    }
}
let manyPassthrough = Int(ProcessInfo.processInfo.environment["BENCH_PASSTHROUGH_STREAMS"] ?? "") ?? 1000
let manyName = "cadence passthrough N=\(manyPassthrough) (WebM/Opus)"
await record(manyName, streams: manyPassthrough) {
    try await CadenceStreams(name: manyName, file: fixtures.webm, streams: manyPassthrough, seconds: seconds).run()
}

let report = Report(results: results)
let table = report.table()
print(table)
print("\nRatios:")
report.ratios().forEach { print($0) }
print("\nTargets:")
let targetLines = report.targets()
targetLines.forEach { print($0) }

let mls = try MLSBench.run()
func percentile(_ values: [Double], _ q: Double) -> Double { values.sorted()[min(values.count - 1, Int(Double(values.count) * q))] }
let mlsLine = String(
    format: "MLS, 25 members: commit (add+remove, path) p50 %.2f ms max %.2f ms; welcome join p50 %.2f ms max %.2f ms (target < 20 ms)",
    percentile(mls.commitMs, 0.5), mls.commitMs.max() ?? 0, percentile(mls.welcomeMs, 0.5), mls.welcomeMs.max() ?? 0)
print("\n" + mlsLine)
let storeRows = try await runStoreBenchmark()
let storeLines = storeRows.map { "\($0.0): \($0.1)" }
print("")
storeLines.forEach { print($0) }
let elapsed = Date().timeIntervalSince(benchStart)
print(String(format: "\nmake bench: %.0f s of audio per stream, whole run %.1f s", seconds, elapsed))

let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "-")
let encoder = JSONEncoder()
encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
try encoder.encode(results).write(to: resultsDirectory.appendingPathComponent("bench-\(stamp).json"))
let chart = SVGChart(
    title: "Cadence send deviation, \(stamp)",
    series: results.filter { !$0.chartDeviations.isEmpty }.map { .init(name: $0.name, deviationsMicros: $0.chartDeviations) })
let svg = chart.render()
try svg.write(to: resultsDirectory.appendingPathComponent("bench-\(stamp).svg"), atomically: true, encoding: .utf8)
var markdown = "# Latest `make bench`\n\n" + table
markdown += "\nRatios:\n\n" + report.ratios().joined(separator: "\n")
markdown += "\n\nTargets:\n\n" + targetLines.joined(separator: "\n")
markdown += "\n\n" + mlsLine + "\n\n" + storeLines.joined(separator: "\n") + "\n\n"
markdown += String(format: "Whole run: %.1f s on this machine (%d cores).\n", elapsed, ProcessInfo.processInfo.activeProcessorCount)
// A partial run (BENCH_ONLY) must not replace the committed table of the last full run.
let partial = ProcessInfo.processInfo.environment["BENCH_ONLY"] != nil
try markdown.write(
    to: resultsDirectory.appendingPathComponent(partial ? "only-\(stamp).md" : "latest.md"), atomically: true, encoding: .utf8)
if !partial { try svg.write(to: resultsDirectory.appendingPathComponent("latest.svg"), atomically: true, encoding: .utf8) }
