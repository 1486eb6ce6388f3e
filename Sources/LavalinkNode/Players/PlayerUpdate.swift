/// A parsed `PATCH …/players/{guildId}` body (the reference's §1.3), validated as Lavalink
/// validates it before anything applies.
package struct PlayerUpdate: Sendable {
    /// `track.encoded` or the deprecated top-level `encodedTrack`; `.null` stops.
    package var encoded: Field<String> = .omitted
    /// `track.identifier` or the deprecated top-level `identifier`.
    package var identifier: String?
    package var userData: JSONValue?
    package var position: Int64?
    package var endTime: Field<Int64> = .omitted
    package var volume: Int?
    package var paused: Bool?
    /// A new `filters` object (replaces all); `null` clears.
    package var filters: Field<JSONValue> = .omitted
    package var voice: VoiceState?

    package var hasNewTrack: Bool { !encoded.isOmitted || identifier != nil }

    package init(body: JSONValue, filterEnabled: (String) -> Bool) throws(NodeHTTPError) {
        let reader = try FieldReader(body, context: "UpdatePlayer")
        let track = try reader.object("track")
        if reader.has("track"), reader.has("encodedTrack") || reader.has("identifier") {
            throw .badRequest("Cannot specify both track and encodedTrack/identifier")
        }
        if case let .value(object) = track {
            let fields = try FieldReader(object, context: "track")
            if fields.has("encoded"), fields.has("identifier") {
                throw .badRequest("Cannot specify both encodedTrack and identifier")
            }
            encoded = try fields.string("encoded")
            identifier = try fields.string("identifier").value
            if case let .value(data) = try fields.object("userData") { userData = data }
        } else {
            encoded = try reader.string("encodedTrack")
            identifier = try reader.string("identifier").value
        }
        if let value = try reader.int("position").value {
            guard value >= 0 else { throw .badRequest("Position must not be negative") }
            position = value
        }
        endTime = try reader.int("endTime")
        if case let .value(end) = endTime, end <= 0 { throw .badRequest("End time must be greater than 0") }
        if let value = try reader.int("volume").value {
            guard (0...1000).contains(value) else { throw .badRequest("Volume must be between 0 and 1000") }
            volume = Int(value)
        }
        paused = try reader.bool("paused").value
        filters = try reader.object("filters")
        if case let .value(object) = filters { try FilterValidation.validate(object, enabled: filterEnabled) }
        if case let .value(object) = try reader.object("voice") { voice = try VoiceState(patch: object) }
    }
}
