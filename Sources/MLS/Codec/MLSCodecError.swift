/// Why a byte string could not be decoded as an MLS structure.
///
/// Decoding never traps: every malformed input surfaces as one of these cases,
/// naming the field (or structure) that was being read when the problem was found.
public enum MLSCodecError: Error, Equatable, Sendable {
    /// The input ended while `field` still needed `needed` more bytes.
    case truncated(field: String, needed: Int)
    /// A variable-length integer used the reserved `11` prefix or a non-minimal encoding.
    case invalidVarint(field: String)
    /// Bytes were left over after a complete structure (or inside a length-delimited vector).
    case trailingBytes(field: String, count: Int)
    /// An enum-like field carried a value this implementation does not know.
    case unknownValue(field: String, value: UInt64)
    /// A value is syntactically present but not allowed (e.g. optional flag other than 0/1).
    case invalidValue(field: String, reason: String)
}
