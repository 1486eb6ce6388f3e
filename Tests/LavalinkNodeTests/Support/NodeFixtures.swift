import CadenceTestSupport
import Foundation
import MediaServerSim

/// Media made with ffmpeg at test time and served by a local MediaServerSim.
enum NodeFixtures {
    /// A sine tone with title and artist tags; `ext` picks the container (`ogg`, `mp3`).
    static func tone(
        seconds: Double, frequency: Int = 440, ext: String = "ogg", title: String = "Test Tone",
        artist: String = "Cadence Tests"
    ) async throws -> Data {
        let directory = try Tools.temporaryDirectory("node")
        let url = directory.appendingPathComponent("tone-\(frequency)-\(seconds).\(ext)")
        var arguments = [
            "-f", "lavfi", "-i", "sine=frequency=\(frequency):sample_rate=48000:duration=\(seconds)", "-ac", "2",
            "-ar", "48000", "-metadata", "title=\(title)", "-metadata", "artist=\(artist)"
        ]
        arguments += ext == "ogg" ? ["-c:a", "libopus", "-b:a", "128k"] : ["-c:a", "libmp3lame", "-b:a", "192k"]
        arguments.append(url.path)
        try await Tools.ffmpeg(arguments)
        return try Data(contentsOf: url)
    }

    /// A media server holding one tone under `name`.
    static func server(_ name: String = "tone.ogg", seconds: Double = 3, frequency: Int = 440) async throws -> MediaServer {
        let media = try await MediaServer.start()
        let ext = name.hasSuffix(".mp3") ? "mp3" : "ogg"
        media.add(
            name, data: try await tone(seconds: seconds, frequency: frequency, ext: ext),
            contentType: ext == "mp3" ? "audio/mpeg" : "audio/ogg")
        return media
    }
}
