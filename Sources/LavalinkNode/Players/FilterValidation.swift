/// Checks a `filters` object the way Lavalink does before any of it applies: disabled filters
/// are refused with Lavalink's message, and values outside the reference's ranges with 400.
package enum FilterValidation {
    package static func validate(_ filters: JSONValue, enabled: (String) -> Bool) throws(NodeHTTPError) {
        let reader = try FieldReader(filters, context: "filters")
        let disabled = reader.members.keys.filter { $0 != "pluginFilters" && !enabled($0) && reader.members[$0] != .null }
        if !disabled.isEmpty {
            throw .badRequest("Following filters are disabled in the config: \(disabled.sorted().joined(separator: ", "))")
        }
        if case let .value(volume) = try reader.double("volume"), !(0...5).contains(volume) {
            throw .badRequest("Filter volume must be between 0.0 and 5.0")
        }
        switch reader.members["equalizer"] {
        case nil, .null?: break
        case let .array(bands)?:
            guard bands.count <= 15 else { throw .badRequest("Equalizer has \(bands.count) bands; at most 15 (0–14)") }
            for band in bands {
                let fields = try FieldReader(band, context: "equalizer band")
                guard case let .value(index) = try fields.int("band"), (0...14).contains(index) else {
                    throw .badRequest("Equalizer band must be between 0 and 14")
                }
                guard case let .value(gain) = try fields.double("gain"), (-0.25...1.0).contains(gain) else {
                    throw .badRequest("Equalizer gain must be between -0.25 and 1.0")
                }
            }
        default: throw .badRequest("Unexpected JSON token for 'equalizer' in filters: expected an array")
        }
        for (name, keys) in [("timescale", ["speed", "pitch", "rate"])] {
            guard case let .value(object) = try reader.object(name) else { continue }
            let fields = try FieldReader(object, context: name)
            for key in keys {
                if case let .value(value) = try fields.double(key), value <= 0 {
                    throw .badRequest("Timescale \(key) must be greater than 0")
                }
            }
        }
        for name in ["tremolo", "vibrato"] {
            guard case let .value(object) = try reader.object(name) else { continue }
            let fields = try FieldReader(object, context: name)
            if case let .value(frequency) = try fields.double("frequency"),
                frequency <= 0 || (name == "vibrato" && frequency > 14)
            {
                throw .badRequest(
                    name == "vibrato" ? "Vibrato frequency must be between 0 and 14" : "Tremolo frequency must be greater than 0")
            }
            if case let .value(depth) = try fields.double("depth"), depth <= 0 || depth > 1 {
                throw .badRequest("\(name.prefix(1).uppercased() + name.dropFirst()) depth must be between 0 and 1")
            }
        }
        if case let .value(object) = try reader.object("channelMix") {
            let fields = try FieldReader(object, context: "channelMix")
            for key in ["leftToLeft", "leftToRight", "rightToLeft", "rightToRight"] {
                if case let .value(value) = try fields.double(key), !(0...1).contains(value) {
                    throw .badRequest("ChannelMix \(key) must be between 0 and 1")
                }
            }
        }
        for name in ["karaoke", "rotation", "distortion", "lowPass", "pluginFilters"] { _ = try reader.object(name) }
        if case .value = try reader.object("pluginFilters"), let plugins = reader.members["pluginFilters"]?.objectValue,
            let first = plugins.keys.sorted().first
        {
            throw .badRequest("Following filters are disabled in the config: \(first)")
        }
    }
}
