import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB

/// The index database: one SQLite file in WAL mode. Every write goes through this type, each in
/// one transaction, so a `kill -9` at any moment leaves the last complete state; readers (search,
/// the TUI) run concurrently and are never blocked by the indexer.
package final class AppDatabase: Sendable {
    package let path: String
    /// A pool (WAL: readers never wait for the writer) for an index file; a queue for an in-memory index.
    let writer: any DatabaseWriter
    /// Opened by a command that only reads: nothing is created, migrated or written.
    package let isReadOnly: Bool
    /// The file's identity when opened (device, inode), to notice it being deleted or replaced.
    private let identity: (device: UInt64, inode: UInt64)?

    /// How a command opens the index.
    package enum Access: Sendable {
        /// Creates the folder and file when missing and migrates the schema (index, watch, the screen).
        case readWrite
        /// An existing index only, never written (search, status, similar, mcp): a mistyped `--db` is an
        /// error instead of a new empty index.
        case readOnly
    }

    /// Opens the index at `path`. Any file that is not a qwery index is refused before it is opened, so
    /// not a byte of it changes.
    /// Long-running commands `verify` first (SQLite quick_check) rather than write into a damaged file.
    package init(path: String, access: Access = .readWrite, verify: Bool = false) throws(StoreError) {
        self.path = path
        isReadOnly = access == .readOnly
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && access == .readWrite {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw .cannotOpen(path: path, reason: Self.reason(error))
            }
        }
        // From the first look at the file until its schema is complete, one process at a time.
        let creation = access == .readWrite ? IndexCreationLock(folder: folder) : nil
        defer { withExtendedLifetime(creation) {} }
        switch IndexFileCheck.inspect(path: path) {
        case .foreign(let what): throw .notAnIndex(path: path, reason: what)
        case .forbidden(let why): throw .cannotOpen(path: path, reason: why)
        case .absent where access == .readOnly: throw .missing(path: path)
        case .absent: break
        case .index: if verify { try Self.verify(path: path) }
        }
        if access == .readWrite, let problem = IndexFilePermissions.writeProblem(path) {
            throw .cannotWrite(path: path, reason: problem)
        }
        if access == .readOnly && !IndexFilePermissions.canCreateBeside(path) {
            // A reader in a folder it cannot write: immutable, so SQLite needs no -shm (no writer can be
            // working here either, since it would need that folder too).
            writer = try Self.openImmutable(path)
            identity = Self.fileIdentity(path)
            return
        }
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.readonly = access == .readOnly
            if access == .readWrite {
                configuration.prepareDatabase { db in
                    try db.execute(sql: "PRAGMA synchronous = NORMAL")
                    SearchFunctions.register(db)
                }
            }
            if access == .readOnly {
                configuration.prepareDatabase { db in KeptRows.register(db) }
                // An index of an older qwery is brought up to date once (it is qwery's own file, checked
                // above); a reader never creates anything.
                var writable = Configuration()
                writable.busyMode = .timeout(10)
                writable.prepareDatabase { db in SearchFunctions.register(db) }
                let probe = try DatabaseQueue(path: path, configuration: configuration)
                if try !probe.read(Migrations.migrator.hasCompletedMigrations) {
                    try probe.close()
                    let migrating = IndexCreationLock(folder: folder)
                    try Migrations.migrator.migrate(DatabasePool(path: path, configuration: writable))
                    withExtendedLifetime(migrating) {}
                }
            }
            let pool = try DatabasePool(path: path, configuration: configuration)
            if access == .readWrite {
                try Migrations.migrator.migrate(pool)
            }
            writer = pool
            identity = Self.fileIdentity(path)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
            throw .damaged(path: path, detail: Self.reason(error))
        } catch {
            throw .cannotOpen(path: path, reason: Self.reason(error))
        }
    }

    private static func openImmutable(_ path: String) throws(StoreError) -> any DatabaseWriter {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.prepareDatabase { db in KeptRows.register(db) }
        do {
            let queue = try DatabaseQueue(path: IndexFilePermissions.immutableURI(path), configuration: configuration)
            guard try queue.read(Migrations.migrator.hasCompletedMigrations) else {
                throw StoreError.cannotWrite(path: path, reason: "this index was made by an older qwery and must be updated once, but "
                                            + (IndexFilePermissions.writeProblem(path) ?? "it cannot be written"))
            }
            return queue
        } catch let error as StoreError {
            throw error
        } catch {
            throw .cannotOpen(path: path, reason: Self.reason(error))
        }
    }

    /// An index over a database GRDB already opened, migrated here: `inMemory()` for tests and tools that
    /// need no file.
    package init(writer: any DatabaseWriter, path: String = ":memory:") throws(StoreError) {
        self.path = path
        self.writer = writer
        isReadOnly = false
        identity = nil
        do {
            writer.writeWithoutTransaction { db in SearchFunctions.register(db) }
            try Migrations.migrator.migrate(writer)
        } catch {
            throw .cannotOpen(path: path, reason: Self.reason(error))
        }
    }

    /// A fresh index in memory, gone with the value.
    package static func inMemory() throws(StoreError) -> AppDatabase {
        let queue: DatabaseQueue
        do { queue = try DatabaseQueue() } catch { throw .cannotOpen(path: ":memory:", reason: Self.reason(error)) }
        return try AppDatabase(writer: queue)
    }

    /// Whether the file this index was opened from is gone or replaced (deleted while qwery runs): writes
    /// would then go to a file nobody can open again.
    package var isDetached: Bool {
        guard let identity else { return false }
        guard let now = Self.fileIdentity(path) else { return true }
        return now != identity
    }

    private static func fileIdentity(_ path: String) -> (device: UInt64, inode: UInt64)? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return (UInt64(status.st_dev), UInt64(status.st_ino))
    }

    /// Read access for queries; reads see the last committed state and never wait for writers.
    package var reader: any DatabaseReader { writer }

    // MARK: - Writing

    /// Runs `updates` in one transaction, turning SQLite failures into `StoreError`s.
    func write<T>(_ operation: String, _ updates: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.write(updates)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            throw .diskFull(path: path)
        } catch {
            throw .databaseFailure(operation: operation, reason: Self.reason(error))
        }
    }

    /// Runs `query` on a snapshot of the database.
    func read<T>(_ operation: String, _ query: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.read(query)
        } catch {
            throw .databaseFailure(operation: operation, reason: Self.reason(error))
        }
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "\(error.resultCode)"
        }
        return "\(error)"
    }

    /// `PRAGMA quick_check` through a read-only connection, before anything opens the file for writing:
    /// a damaged index is reported (`.damaged`) and left exactly as it is.
    static func verify(path: String) throws(StoreError) {
        var configuration = Configuration()
        configuration.readonly = true
        let findings: String
        do {
            let location = IndexFilePermissions.canCreateBeside(path) ? path : IndexFilePermissions.immutableURI(path)
            let queue = try DatabaseQueue(path: location, configuration: configuration)
            findings = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check").joined(separator: "; ") }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
            throw .damaged(path: path, detail: Self.reason(error))
        } catch {
            // Permissions, a lock, a missing -shm: not damage; rebuilding would not help.
            throw .cannotOpen(path: path, reason: IndexFilePermissions.writeProblem(path) ?? Self.reason(error))
        }
        guard findings == "ok" else { throw .damaged(path: path, detail: String(findings.prefix(300))) }
    }

    /// `PRAGMA integrity_check`: "ok" for a sound database.
    package func integrityCheck() throws(StoreError) -> String {
        try read("check its integrity") { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ")
        }
    }
}
