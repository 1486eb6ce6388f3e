import CadenceTestSupport
import Foundation
import MLS
import Testing

/// One JSON object from an interop test-vector file, with typed accessors that fail the test
/// (by throwing) when a field is missing or malformed.
struct Vector {
    let object: [String: Any]

    struct Missing: Error, CustomStringConvertible {
        let field: String
        var description: String { "test vector field '\(field)' missing or malformed" }
    }

    func hex(_ key: String) throws -> [UInt8] {
        guard let string = object[key] as? String, let bytes = [UInt8](hex: string) else { throw Missing(field: key) }
        return bytes
    }

    func optionalHex(_ key: String) throws -> [UInt8]? {
        if object[key] == nil || object[key] is NSNull { return nil }
        return try hex(key)
    }

    func int(_ key: String) throws -> Int {
        guard let number = object[key] as? NSNumber else { throw Missing(field: key) }
        return number.intValue
    }

    func uint64(_ key: String) throws -> UInt64 {
        guard let number = object[key] as? NSNumber else { throw Missing(field: key) }
        return number.uint64Value
    }

    func string(_ key: String) throws -> String {
        guard let s = object[key] as? String else { throw Missing(field: key) }
        return s
    }

    func child(_ key: String) throws -> Vector {
        guard let o = object[key] as? [String: Any] else { throw Missing(field: key) }
        return Vector(object: o)
    }

    func list(_ key: String) throws -> [Vector] {
        guard let a = object[key] as? [[String: Any]] else { throw Missing(field: key) }
        return a.map(Vector.init)
    }

    func optionalInts(_ key: String) throws -> [Int?] {
        guard let a = object[key] as? [Any] else { throw Missing(field: key) }
        return a.map { ($0 as? NSNumber)?.intValue }
    }

    var cipherSuite: Int? { (object["cipher_suite"] as? NSNumber)?.intValue }
}

enum Vectors {
    /// All objects of `mls-test-vectors/<name>.json`, read from the shared folder at test time.
    static func load(_ name: String) throws -> [Vector] {
        let data = try SharedData.file("mls-test-vectors/\(name).json")
        guard let array = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw Vector.Missing(field: "<top-level array>")
        }
        return array.map(Vector.init)
    }

    /// Runs `body` for every suite-2 case, counts the others as skipped, and reports the counts.
    static func forSuite2(_ name: String, _ body: (Vector, Int) throws -> Void) throws {
        let all = try load(name)
        var passed = 0, skipped = 0
        for (index, vector) in all.enumerated() {
            guard vector.cipherSuite == 2 else {
                skipped += 1
                continue
            }
            try body(vector, index)
            passed += 1
        }
        print("\(name): \(passed) suite-2 cases run, \(skipped) other-suite cases skipped")
        #expect(passed > 0, "no suite-2 case found in \(name)")
    }
}

extension Array where Element == UInt8 {
    init?(hex: String) {
        let chars = Array(hex.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        self = out
    }

    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
