import Foundation
import Store

/// What the store commands share: opening the database and printing JSON.
enum StoreCommandSupport {
    static func open(_ path: String?) throws -> AppDatabase {
        do {
            return try AppDatabase(path: path ?? AppDatabase.defaultPath())
        } catch {
            throw CommandFailure(message: error.description)
        }
    }

    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Turns store errors into the one-line failure `cadence` prints.
    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw CommandFailure(message: error.description)
        }
    }
}
