@testable import AudioEngine
import Foundation
import Synchronization
import Testing

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
            if wait > 0 { now += wait; continue }
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
        let napped = Mutex<Duration?>(nil)
        let napper = Thread {
            let began = ContinuousClock.now
            control.nap(nanoseconds: 2_000_000_000)
            napped.withLock { $0 = ContinuousClock.now - began }
        }
        napper.start()
        try await Task.sleep(for: .milliseconds(100))
        _ = control.requestSeek(toMs: 1_000)
        let deadline = ContinuousClock.now + .seconds(5)
        while napped.withLock({ $0 }) == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        let duration = try #require(napped.withLock { $0 })
        #expect(duration < .seconds(1), "the 2 s nap lasted \(duration)")
    }
}
