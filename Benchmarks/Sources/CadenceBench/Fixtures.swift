import Foundation

/// Input files made with ffmpeg at run time (nothing audio is committed), in
/// Benchmarks/results/tmp: an MP3 at 44.1 kHz stereo, the same music as WebM/Opus for
/// passthrough, and 48 kHz stereo float PCM for the encoding floor.
struct Fixtures {
    let directory: URL
    let mp3: String
    let webm: String
    let pcm: String
    let seconds: Double

    static func make(seconds: Double, in directory: URL) throws -> Fixtures {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Two detuned chords with a slow tremolo and some noise: busy enough that the encoder works.
        let music =
            "aevalsrc=0.25*sin(2*PI*220*t)*(1+0.3*sin(2*PI*0.5*t))+0.2*sin(2*PI*277.2*t)+0.15*sin(2*PI*329.6*t)"
            + "+0.05*(random(0)-0.5)|0.25*sin(2*PI*221*t)+0.2*sin(2*PI*330*t)*(1+0.3*sin(2*PI*0.7*t))+0.05*(random(1)-0.5)"
            + ":s=44100:d=\(seconds)"
        let fixtures = Fixtures(
            directory: directory, mp3: directory.appendingPathComponent("music.mp3").path,
            webm: directory.appendingPathComponent("music.webm").path,
            pcm: directory.appendingPathComponent("music.f32").path, seconds: seconds)
        try ffmpeg(["-f", "lavfi", "-i", music, "-c:a", "libmp3lame", "-b:a", "192k", fixtures.mp3])
        try ffmpeg(["-i", fixtures.mp3, "-ar", "48000", "-c:a", "libopus", "-b:a", "128k", "-frame_duration", "20", fixtures.webm])
        try ffmpeg(["-i", fixtures.mp3, "-f", "f32le", "-ar", "48000", "-ac", "2", fixtures.pcm])
        return fixtures
    }

    private static func ffmpeg(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg", "-y", "-hide_banner", "-loglevel", "error"] + arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchFailure("ffmpeg \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
    }
}
