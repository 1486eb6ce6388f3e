import ArgumentParser
import AudioDSP
import Foundation

/// `--filters JSON|@FILE`: Lavalink's `filters` object, given inline or read from a file, decoded
/// and range-checked before anything plays, so a mistake is a usage error naming the field.
enum FilterOption {
    static func parse(_ argument: String) throws -> FilterSettings {
        let data: Data
        if argument.hasPrefix("@") {
            let path = String(argument.dropFirst())
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw ValidationError("--filters: cannot read \(path)")
            }
            data = contents
        } else {
            data = Data(argument.utf8)
        }
        let settings: FilterSettings
        do {
            settings = try JSONDecoder().decode(FilterSettings.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw ValidationError("--filters: \(path(context.codingPath)) \(context.debugDescription)")
        } catch let DecodingError.keyNotFound(key, context) {
            throw ValidationError("--filters: \(path(context.codingPath + [key])) is missing")
        } catch DecodingError.dataCorrupted(let context) {
            let reason = (context.underlyingError as NSError?)?.localizedDescription ?? context.debugDescription
            throw ValidationError("--filters: not a JSON object (\(reason))")
        }
        do {
            try settings.validate()
        } catch {
            throw ValidationError("--filters: \(error.description)")
        }
        return settings
    }

    /// `timescale.speed`, `equalizer[3].gain`: the field as a client writes it.
    private static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text.isEmpty ? "filters" : text
    }
}
