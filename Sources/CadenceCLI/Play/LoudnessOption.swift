import ArgumentParser
import AudioDSP

/// `--normalize[=LUFS]` and `--crossfade SECONDS`, checked before anything plays so that a
/// mistake is a usage error naming the flag.
enum LoudnessOption {
    /// What a bare `--normalize` means: the default target.
    static let defaultTarget = "-14"

    /// ArgumentParser has no option whose value may be left out: a bare `--normalize` (before
    /// any `--`) of `cadence play` is given the default target here, before parsing.
    static func expandingBareNormalize(_ arguments: [String]) -> [String] {
        guard arguments.first == "play" else { return arguments }
        var expanded: [String] = []
        var options = true
        for argument in arguments {
            if argument == "--" { options = false }
            expanded.append(options && argument == "--normalize" ? "--normalize=\(defaultTarget)" : argument)
        }
        return expanded
    }

    static func normalization(_ argument: String) throws -> LoudnessNormalization {
        guard let lufs = Double(argument), lufs.isFinite else {
            throw ValidationError("--normalize takes a loudness target in LUFS, -23 to -10 (got '\(argument)')")
        }
        do {
            return try LoudnessNormalization(targetLUFS: lufs)
        } catch {
            throw ValidationError("--normalize: \(error.description)")
        }
    }

    static func checkCrossfade(_ seconds: Double) throws {
        guard seconds.isFinite, (0...12).contains(seconds) else {
            throw ValidationError("--crossfade must be 0–12 seconds (0 is gapless)")
        }
    }
}
