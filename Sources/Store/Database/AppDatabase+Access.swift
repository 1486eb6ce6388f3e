import GRDB

extension AppDatabase {
    /// Runs `body` in the caller's transaction when one is given, else in a new write
    /// transaction. This is the repositories' "optional transaction" pattern: several writes
    /// can share one transaction, and a lone write still commits atomically.
    func write<T>(_ operation: String, in db: Database?, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            if let db { return try body(db) }
            return try writer.write { db in try body(db) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database(operation: operation, reason: "\(error)")
        }
    }

    /// Reads in the caller's transaction when one is given, else from a pool reader.
    func read<T>(_ operation: String, in db: Database?, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            if let db { return try body(db) }
            return try writer.read { db in try body(db) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database(operation: operation, reason: "\(error)")
        }
    }

    /// A write on GRDB's writer thread, awaited without blocking the caller's executor.
    func asyncWrite<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T)
        async throws(StoreError) -> T
    {
        do {
            return try await writer.write { db in try body(db) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database(operation: operation, reason: "\(error)")
        }
    }

    /// A read on one of GRDB's reader threads, awaited without blocking the caller's executor.
    func asyncRead<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T)
        async throws(StoreError) -> T
    {
        do {
            return try await writer.read { db in try body(db) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database(operation: operation, reason: "\(error)")
        }
    }
}
