import Foundation
import GRDB

/// The index database: one SQLite file in WAL mode. Every write goes through this type, each in
/// one transaction, so a `kill -9` at any moment leaves the last complete state; readers (search,
/// the TUI) run concurrently and are never blocked by the indexer.
public final class AppDatabase: Sendable {
    public let path: String
    let pool: DatabasePool
    /// Opened by a command that only reads: nothing is created, migrated or written.
    public let isReadOnly: Bool

    /// How a command opens the index.
    public enum Access: Sendable {
        /// Creates the folder and file when missing and migrates the schema (index, watch, the screen).
        case readWrite
        /// An existing index only, never written (search, status, similar, mcp): a mistyped `--db` is an
        /// error instead of a new empty index.
        case readOnly
    }

    /// Opens the index at `path`. Any file that is not a qwery index is refused before it is opened, so
    /// not a byte of it changes.
    public init(path: String, access: Access = .readWrite) throws(StoreError) {
        self.path = path
        isReadOnly = access == .readOnly
        switch IndexFileCheck.inspect(path: path) {
        case .foreign(let what): throw .notAnIndex(path: path, reason: what)
        case .absent where access == .readOnly: throw .missing(path: path)
        case .absent, .index: break
        }
        let folder = (path as NSString).deletingLastPathComponent
        do {
            if !folder.isEmpty && access == .readWrite {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.readonly = access == .readOnly
            if access == .readWrite {
                configuration.prepareDatabase { db in
                    try db.execute(sql: "PRAGMA synchronous = NORMAL")
                }
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            if access == .readWrite {
                try Migrations.migrator.migrate(pool)
            } else if try !pool.read({ db in try Migrations.migrator.appliedIdentifiers(db).contains("v1") }) {
                throw StoreError.outdated(path: path)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .cannotOpen(path: path, reason: Self.reason(error))
        }
    }

    /// The default location: `$XDG_DATA_HOME/qwery/index.sqlite` (`~/.local/share/qwery/index.sqlite`).
    public static var defaultPath: String {
        let environment = ProcessInfo.processInfo.environment
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.local/share")
        return dataHome + "/qwery/index.sqlite"
    }

    /// Read access for queries; reads see the last committed state and never wait for writers.
    public var reader: any DatabaseReader { pool }

    // MARK: - Writing

    /// Runs `updates` in one transaction, turning SQLite failures into `StoreError`s.
    func write<T>(_ operation: String, _ updates: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.write(updates)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            throw .diskFull(path: path)
        } catch {
            throw .databaseFailure(operation: operation, reason: Self.reason(error))
        }
    }

    /// Runs `query` on a snapshot of the database.
    func read<T>(_ operation: String, _ query: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(query)
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

    /// `PRAGMA integrity_check`: "ok" for a sound database.
    public func integrityCheck() throws(StoreError) -> String {
        try read("check its integrity") { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ")
        }
    }
}
