import Foundation
import Logging

/// Turns one log event into one line of text in the chosen style. Keys are sorted so lines of
/// the same event compare equal in tests and diff cleanly in logs.
struct LogLineFormatter {
    let style: BotLogHandler.Style
    let label: String

    func line(level: Logger.Level, message: String, metadata: Logger.Metadata, date: Date) -> String {
        let time = Self.timestamp(date)
        let pairs = metadata.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") }
        switch style {
        case .human:
            let meta = pairs.isEmpty ? "" : " " + pairs.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            return "\(time) \(level.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0))\(label): \(message)\(meta)"
        case .logfmt:
            var fields = [("ts", time), ("level", level.rawValue), ("logger", label), ("msg", message)]
            fields += pairs
            return fields.map { "\($0.0)=\(Self.logfmtValue($0.1))" }.joined(separator: " ")
        case .json:
            var object: [String: String] = ["ts": time, "level": level.rawValue, "logger": label, "msg": message]
            for (key, value) in pairs where object[key] == nil { object[key] = value }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// Bare when safe, quoted with escapes when the value has spaces, quotes, `=` or control characters.
    static func logfmtValue(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty
            || value.contains {
                $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" || $0.isNewline || ($0.asciiValue.map { $0 < 0x20 } ?? false)
            }
        guard needsQuotes else { return value }
        var escaped = ""
        for character in value {
            switch character {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            default: escaped.append(character)
            }
        }
        return "\"\(escaped)\""
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
