import Foundation

/// Loudness as ffmpeg's `ebur128` filter measures it: the reference the engine's own meter is
/// checked against.
public enum LoudnessReference {
    public struct Measurement: Sendable {
        /// Integrated loudness, LUFS (ffmpeg prints one decimal).
        public var integratedLUFS: Double
        /// True peak, dBTP.
        public var truePeakDBTP: Double
    }

    /// Runs `ffmpeg -af ebur128=peak=true` on a file and reads its summary.
    public static func measure(_ url: URL) async throws -> Measurement {
        let result = try await Tools.runOffPool(
            "ffmpeg",
            [
                "-hide_banner", "-nostats", "-i", url.path,
                "-af", "ebur128=peak=true", "-f", "null", "-"
            ])
        let text = String(decoding: result.stderr, as: UTF8.self)
        guard result.status == 0, let summary = text.range(of: "Summary:") else {
            throw ToolError.failed("ffmpeg ebur128", text)
        }
        let tail = text[summary.upperBound...]
        func value(after label: String) -> Double? {
            guard let range = tail.range(of: label) else { return nil }
            let rest = tail[range.upperBound...].drop { $0 == " " }
            return Double(rest.prefix { "-+.0123456789inf".contains($0) })
        }
        guard let integrated = value(after: "I:"), let peak = value(after: "Peak:") else {
            throw ToolError.failed("ffmpeg ebur128", String(tail))
        }
        return Measurement(integratedLUFS: integrated, truePeakDBTP: peak)
    }
}
