import CadenceTestSupport
import Foundation

/// Programme-like tracks for the loudness tests, made with ffmpeg and brought to a loudness
/// as ffmpeg's own `ebur128` measures it, written as float WAV so a loud one does not clip.
enum LoudnessTracks {
    /// Stereo pink noise (a different seed per channel) plus a 440 Hz tone, at `lufs`.
    static func programme(lufs: Double, seconds: Double, in directory: URL) async throws -> URL {
        let raw = directory.appendingPathComponent("raw-\(lufs).wav")
        try await Tools.ffmpeg([
            "-f", "lavfi", "-i", "anoisesrc=color=pink:seed=11:amplitude=0.5:sample_rate=48000:duration=\(seconds)",
            "-f", "lavfi", "-i", "anoisesrc=color=pink:seed=23:amplitude=0.5:sample_rate=48000:duration=\(seconds)",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=\(seconds)",
            "-filter_complex",
            "[2]volume=0.4,asplit[t1][t2];[0][t1]amix=inputs=2:normalize=0[l];[1][t2]amix=inputs=2:normalize=0[r];[l][r]join=inputs=2:channel_layout=stereo",
            "-c:a", "pcm_f32le", raw.path
        ])
        var url = raw
        // Two passes of gain: the second corrects what rounding in the first left.
        for pass in 0..<2 {
            let measured = try await LoudnessReference.measure(url).integratedLUFS
            let next = directory.appendingPathComponent("track\(lufs)-\(pass).wav")
            try await Tools.ffmpeg(["-i", url.path, "-af", "volume=\(lufs - measured)dB", "-c:a", "pcm_f32le", next.path])
            url = next
        }
        return url
    }

    /// EBU Tech 3341 case 1: a 1 kHz stereo sine at −23 dBFS in each channel, −23.0 LUFS.
    static func tech3341Case1(seconds: Double, in directory: URL) async throws -> URL {
        let url = directory.appendingPathComponent("tech3341-1.wav")
        let amplitude = pow(10, -23.0 / 20)
        try await Tools.ffmpeg([
            "-f", "lavfi", "-i",
            "aevalsrc=\(amplitude)*sin(2*PI*1000*t)|\(amplitude)*sin(2*PI*1000*t):s=48000:d=\(seconds)",
            "-c:a", "pcm_f32le", url.path
        ])
        return url
    }
}
