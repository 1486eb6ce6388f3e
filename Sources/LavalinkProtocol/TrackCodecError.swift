/// Why an encoded track could not be read or written. Every case names where it happened, so a
/// node can answer a client's bad string with a message that says what is wrong with it.
package enum TrackCodecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is not standard base64 (`+/`, padding optional, as `java.util.Base64` accepts).
    case invalidBase64(characters: Int)
    /// The message header's size disagrees with the bytes that follow it. A trailing zero int
    /// (lavaplayer's `MessageOutput.finish()` end marker) is not a mismatch.
    case sizeMismatch(declared: Int, available: Int)
    /// Header flag bits other than `TRACK_INFO_VERSIONED` (lavaplayer defines no others).
    case unsupportedFlags(Int)
    /// A version byte outside 1...3.
    case unsupportedVersion(Int)
    /// The message ended inside `field`, which starts at `offset` in the message body.
    case truncated(field: String, offset: Int)
    /// `field` at `offset` is not (modified) UTF-8.
    case malformedString(field: String, offset: Int)
    /// An `http`/`local` track whose bytes between `sourceName` and `position` are not exactly one
    /// probe string.
    case malformedSourceDetails(source: String, bytes: Int)
    /// Encoding: `field` needs more than the 65535 bytes `writeUTF` can carry.
    case stringTooLong(field: String, bytes: Int)
    /// Encoding: an `http`/`local` track without its container probe, which lavaplayer needs to
    /// decode the string.
    case missingProbe(source: String)
    /// Encoding: the message would exceed the header's 30-bit size.
    case messageTooLarge(bytes: Int)

    package var description: String {
        switch self {
        case let .invalidBase64(count): "encoded track is not valid base64 (\(count) characters)"
        case let .sizeMismatch(declared, available):
            "encoded track header declares \(declared) bytes but \(available) follow it"
        case let .unsupportedFlags(flags): "encoded track has unknown header flags \(flags)"
        case let .unsupportedVersion(version): "encoded track version \(version) is not 1, 2 or 3"
        case let .truncated(field, offset): "encoded track ends inside \(field) (at byte \(offset))"
        case let .malformedString(field, offset): "encoded track's \(field) at byte \(offset) is not modified UTF-8"
        case let .malformedSourceDetails(source, bytes):
            "encoded \(source) track's \(bytes) source-detail bytes are not one probe string"
        case let .stringTooLong(field, bytes): "\(field) is \(bytes) bytes in modified UTF-8, over writeUTF's 65535"
        case let .missingProbe(source): "an \(source) track needs its container probe to be encoded"
        case let .messageTooLarge(bytes): "encoded track would be \(bytes) bytes, over the header's limit"
        }
    }
}
