import CadenceTestSupport
import Foundation

/// The test track: an MP3 whose pitch says where in it you are. During second *n* it is a
/// sine of 400 + 40·n Hz (phase-continuous), so from any 20 ms of decoded audio a listener
/// can tell the time code to the second, and from the step edges to a frame.
enum StaircaseTone {
    static let baseHz = 400.0
    static let stepHz = 40.0
    static let amplitude = 0.5

    static func frequency(ofStep step: Int) -> Double { baseHz + stepHz * Double(step) }

    /// `seconds` of stereo 48 kHz MP3 (libmp3lame, 192 kbps).
    static func mp3(seconds: Int) async throws -> Data {
        let folder = try Tools.temporaryDirectory("staircase")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("staircase.mp3")
        // Phase of a frequency constant on each second: ∫f = 400t + 40(N(N−1)/2 + N(t−N)), N = ⌊t⌋.
        let phase = "(\(baseHz)*t+\(stepHz)*(floor(t)*(floor(t)-1)/2+floor(t)*(t-floor(t))))"
        let expression = "\(amplitude)*sin(2*PI*\(phase))"
        try await Tools.ffmpeg([
            "-f", "lavfi", "-i", "aevalsrc=exprs=\(expression)|\(expression):s=48000:d=\(seconds)",
            "-c:a", "libmp3lame", "-b:a", "192k", file.path
        ])
        return try Data(contentsOf: file)
    }
}
