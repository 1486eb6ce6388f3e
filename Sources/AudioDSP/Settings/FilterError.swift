/// Why a ``FilterSettings`` was refused: which field, and the rule it broke.
///
/// `field` is the JSON path a client sent (`"timescale.speed"`, `"equalizer[3].gain"`), and
/// `description` is the sentence a Lavalink-style 400 reply carries.
public enum FilterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A number outside the filter's range; `rule` says the range ("must be between 0 and 5").
    case outOfRange(field: String, value: Double, rule: String)
    /// NaN or ±infinity, which no filter accepts.
    case notFinite(field: String)

    public var field: String {
        switch self {
        case let .outOfRange(field, _, _), let .notFinite(field): field
        }
    }

    public var reason: String {
        switch self {
        case let .outOfRange(_, value, rule): "\(rule) (got \(value))"
        case .notFinite: "must be a finite number"
        }
    }

    public var description: String { "\(field) \(reason)" }
}
