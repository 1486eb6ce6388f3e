import AudioEngine
import CadenceTestSupport
import Foundation
import Testing

/// A volume change is heard at once, not after the 5 s the ring holds: the frames still
/// waiting are rendered again from the position of the next one to be sent.
@Suite("Instant volume timing")
struct InstantVolumeTimingTests {
    @Test("volume 100 → 40 % with a full 5 s ring: audible within 100 ms, nothing repeated or skipped, no click")
    func volumeChangeIsHeardAtOnce() async throws {
        try await InstantChange.check("instant volume") { $0.volume = 0.4 }
    }
}
