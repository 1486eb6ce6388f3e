import Testing

@testable import CadenceBot

@Suite struct TimeTextParsingTests {
    @Test(arguments: [("1:05", 65_000), ("0:00", 0), ("90", 90_000), ("1:02:03", 3_723_000), ("12:59", 779_000)] as [(String, Int64)])
    func acceptsMinutesSecondsHoursAndPlainSeconds(text: String, milliseconds: Int64) throws {
        #expect(try TimeText.parse(text) == milliseconds)
    }

    @Test(arguments: ["", "1:60", "a:10", "-5", "1::2", "1:2:3:4", "1.5", " : "])
    func refusesAnythingElseWithATypedError(text: String) {
        #expect(throws: PlayerCommandError.badTimeFormat(text)) { try TimeText.parse(text) }
    }

    @Test func clockTextAddsHoursOnlyWhenNeeded() {
        #expect(TimeText.clock(65_000) == "1:05")
        #expect(TimeText.clock(3_723_000) == "1:02:03")
    }

    @Test func progressBarPutsTheKnobAtThePlayedFraction() {
        let bar = TimeText.progressBar(positionMs: 50_000, durationMs: 100_000, width: 10)
        #expect(bar.count == 10)
        #expect(bar.firstIndex(of: "🔘").map { bar.distance(from: bar.startIndex, to: $0) } == 5)
    }
}
