import Foundation

/// A request field as Lavalink's `Omissible` sees it: left out (unchanged), `null` (cleared) or set.
package enum Field<Value: Sendable>: Sendable {
    case omitted
    case null
    case value(Value)

    package var value: Value? {
        if case let .value(value) = self { return value }
        return nil
    }

    package var isOmitted: Bool {
        if case .omitted = self { return true }
        return false
    }
}

/// Typed reads of a request object. A wrong type is the client's fault: 400 with the key named.
/// Numbers may arrive as JSON strings (pomice sends `"position": "0"`): kotlinx.serialization
/// reads a quoted numeric literal as a number, so the node does too.
package struct FieldReader: Sendable {
    package let members: [String: JSONValue]
    package let context: String

    package init(_ value: JSONValue, context: String) throws(NodeHTTPError) {
        guard let members = value.objectValue else {
            throw .badRequest("Expected a JSON object for \(context)")
        }
        self.members = members
        self.context = context
    }

    package func has(_ key: String) -> Bool { members[key] != nil }

    private func wrongType(_ key: String, _ expected: String) -> NodeHTTPError {
        .badRequest("Unexpected JSON token for '\(key)' in \(context): expected \(expected)")
    }

    package func int(_ key: String) throws(NodeHTTPError) -> Field<Int64> {
        switch members[key] {
        case nil: return .omitted
        case .null?: return .null
        case let .int(value)?: return .value(value)
        case let .double(value)? where value == value.rounded() && abs(value) < 9.2e18: return .value(Int64(value))
        case let .string(text)?:
            if let value = Int64(text.trimmingCharacters(in: .whitespaces)) { return .value(value) }
            throw wrongType(key, "an integer")
        default: throw wrongType(key, "an integer")
        }
    }

    package func double(_ key: String) throws(NodeHTTPError) -> Field<Double> {
        switch members[key] {
        case nil: return .omitted
        case .null?: return .null
        case let .int(value)?: return .value(Double(value))
        case let .double(value)?: return .value(value)
        case let .string(text)?:
            if let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite { return .value(value) }
            throw wrongType(key, "a number")
        default: throw wrongType(key, "a number")
        }
    }

    package func bool(_ key: String) throws(NodeHTTPError) -> Field<Bool> {
        switch members[key] {
        case nil: return .omitted
        case .null?: return .null
        case let .bool(value)?: return .value(value)
        default: throw wrongType(key, "a boolean")
        }
    }

    package func string(_ key: String) throws(NodeHTTPError) -> Field<String> {
        switch members[key] {
        case nil: return .omitted
        case .null?: return .null
        case let .string(value)?: return .value(value)
        default: throw wrongType(key, "a string")
        }
    }

    package func object(_ key: String) throws(NodeHTTPError) -> Field<JSONValue> {
        switch members[key] {
        case nil: return .omitted
        case .null?: return .null
        case let value? where value.objectValue != nil: return .value(value)
        default: throw wrongType(key, "an object")
        }
    }
}
