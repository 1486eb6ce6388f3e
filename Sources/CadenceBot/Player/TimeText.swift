import Foundation

/// Times as people type and read them: `mm:ss`, `h:mm:ss`, or plain seconds.
package enum TimeText {
    /// Parses `"1:05"`, `"01:02:03"` or `"90"` into milliseconds.
    ///
    /// - Throws: `PlayerCommandError.badTimeFormat` for anything else (negative numbers, seconds
    ///   or minutes ≥ 60 after a colon, more than three fields, empty fields).
    package static func parse(_ text: String) throws(PlayerCommandError) -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let fields = trimmed.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...3).contains(fields.count),
            fields.allSatisfy({ !$0.isEmpty && $0.count <= 6 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { throw .badTimeFormat(text) }
        let numbers = fields.compactMap { Int64($0) }
        guard numbers.count == fields.count else { throw .badTimeFormat(text) }
        // Every field after the first is base 60 and must stay below 60.
        if numbers.dropFirst().contains(where: { $0 >= 60 }) { throw .badTimeFormat(text) }
        let seconds = numbers.reduce(Int64(0)) { $0 * 60 + $1 }
        return seconds * 1000
    }

    /// `m:ss` below an hour, `h:mm:ss` above.
    package static func clock(_ milliseconds: Int64) -> String {
        let total = max(0, milliseconds) / 1000
        let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60)
        let ss = seconds < 10 ? "0\(seconds)" : "\(seconds)"
        if hours > 0 { return "\(hours):\(minutes < 10 ? "0" : "")\(minutes):\(ss)" }
        return "\(minutes):\(ss)"
    }

    /// A text progress bar: `▬▬▬🔘▬▬▬▬▬▬` with the knob at the played fraction.
    package static func progressBar(positionMs: Int64, durationMs: Int64?, width: Int = 20) -> String {
        guard let durationMs, durationMs > 0 else { return String(repeating: "▬", count: width) + " (live)" }
        let fraction = min(1, max(0, Double(positionMs) / Double(durationMs)))
        let knob = min(width - 1, Int(fraction * Double(width)))
        return String(repeating: "▬", count: knob) + "🔘" + String(repeating: "▬", count: width - knob - 1)
    }
}
