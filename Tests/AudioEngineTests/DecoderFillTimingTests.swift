import Foundation
import Synchronization
import Testing

@testable import AudioEngine

/// A decoder fills its ring fast enough to start at once and stay ahead of playback, but not
/// so fast that a hundred tracks starting together starve one another; and its waits end the
/// moment the player needs it.
@Suite("Decoder fill")
struct DecoderFillTimingTests {
    /// Pushes as fast as `FillPacing` allows for `seconds` of (simulated) time.
    static func framesPushed(in seconds: Double, enabled: Bool = true) -> Int {
        var fill = FillPacing(enabled: enabled)
        let end = UInt64(seconds * 1e9)
        var now: UInt64 = 0
        fill.start = now
        var pushed = 0
        while now < end, pushed < 10_000 {
            let wait = fill.wait(now: now)
            if wait > 0 {
                now += wait
                continue
            }
            pushed += 1
            fill.pushed += 1
        }
        return pushed
    }

    @Test("The first frames go in at once, so playback can start right away")
    func prefillIsImmediate() {
        #expect(Self.framesPushed(in: 0.000_001) >= 3)
    }

    @Test("Past the prefill the fill stays ahead of playback without racing to fill 5 s")
    func fillRateIsBounded() {
        let oneSecond = Self.framesPushed(in: 1)
        #expect(oneSecond > 50 + 25, "pushed \(oneSecond) in 1 s: must outrun playback (50 frames/s) with a margin")
        #expect(oneSecond < 250, "pushed \(oneSecond) in 1 s: a whole 5 s ring in one second starves other tracks")
    }

    @Test("Unpaced runs (virtual time) fill at full speed")
    func unpacedFillIsUnbounded() {
        #expect(Self.framesPushed(in: 0.000_001, enabled: false) == 10_000)
    }

    @Test("A seek ends a decoder's nap at once")
    func seekWakesNappingDecoder() async throws {
        let control = TrackControl(volume: 1)
        // Both sides on plain threads, so a busy cooperative pool cannot delay the seek past
        // the nap's own end and turn a timeout into a false pass or fail.
        let times = Mutex<(seekAt: ContinuousClock.Instant?, wokeAt: ContinuousClock.Instant?)>((nil, nil))
        let napper = Thread {
            control.nap(nanoseconds: 2_000_000_000)
            let now = ContinuousClock.now
            times.withLock { $0.wokeAt = now }
        }
        let seeker = Thread {
            usleep(100_000)
            let now = ContinuousClock.now
            times.withLock { $0.seekAt = now }
            _ = control.requestSeek(toMs: 1_000)
        }
        napper.start()
        seeker.start()
        let deadline = ContinuousClock.now + .seconds(5)
        while times.withLock({ $0.wokeAt }) == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        let (seekAt, wokeAt) = times.withLock { $0 }
        let woke = try #require(wokeAt)
        let seek = try #require(seekAt, "the nap ended before the seek was even made")
        #expect(woke - seek < .milliseconds(300), "the nap went on \(woke - seek) after the seek")
    }
}
