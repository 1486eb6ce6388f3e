import CadenceTestSupport
import Foundation
import Testing

/// `cadence play` on broken input fails fast, timed around the child process. A timing
/// measurement, so it runs in `make test`'s timing pass, not beside dozens of other tests.
@Suite("Broken input timing", .serialized)
struct BrokenInputTimingTests {
    @Test("cadence play exits 1 with one line on stderr, within 2 s", arguments: BrokenInputErrorsTests.Kind.allCases)
    func commandLineFailsFast(_ kind: BrokenInputErrorsTests.Kind) async throws {
        let directory = try Tools.temporaryDirectory("broken-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try await BrokenInputErrorsTests.make(kind, in: directory)
        // Timed around the child process itself, on its own thread. --fast, so the 3 s of good
        // audio at the head of the truncated file don't count as time spent failing.
        let (result, seconds) = try await Tools.onThread {
            let start = Date()
            let result = try Tools.run(Tools.cadenceExecutable.path, ["play", source, "--quiet", "--fast"], timeout: 30)
            return (result, Date().timeIntervalSince(start))
        }
        #expect(result.status == 1)
        #expect(seconds < 2, "took \(seconds) s")
        let errorLines = String(decoding: result.stderr, as: UTF8.self).split(separator: "\n")
            .filter { $0.hasPrefix("cadence: ") }
        #expect(errorLines.count == 1, "\(errorLines)")
    }
}
