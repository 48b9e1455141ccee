import Foundation
import GRDB

/// What is at an index path before qwery opens it: checked from the file's bytes (and, for indexes
/// made before the application id existed, through a read-only connection), so a file that is not
/// qwery's is refused without a byte of it changing.
enum IndexFileCheck {
    /// SQLite's header `application_id` (offset 68) of a qwery index: "qwry".
    static let applicationId: Int32 = 0x7177_7279

    enum Finding: Equatable {
        /// No file, or an empty one: a new index may be created there.
        case absent
        /// A qwery index (by its application id, or by its tables for indexes made before the id).
        case index
        /// Something else, with a sentence saying what.
        case foreign(String)
    }

    static func inspect(path: String) -> Finding {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return FileManager.default.fileExists(atPath: path) ? .foreign("it cannot be read") : .absent
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 100)) ?? Data()
        if header.isEmpty { return .absent }
        guard header.count >= 100, header.starts(with: Array("SQLite format 3\u{0}".utf8)) else {
            return .foreign("it is not a SQLite database")
        }
        let id = header[68..<72].reduce(Int32(0)) { ($0 << 8) | Int32($1) }
        if id == applicationId { return .index }
        if id != 0 { return .foreign("it is a SQLite database of another application (application_id \(id))") }
        return hasIndexTables(path: path) ? .index : .foreign("it is a SQLite database without qwery's tables")
    }

    /// Whether a file without application id holds qwery's schema (an index made before the id existed).
    private static func hasIndexTables(path: String) -> Bool {
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return false }
        let tables = (try? queue.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }) ?? []
        return Set(["grdb_migrations", "root", "file", "chunk", "vector"]).isSubset(of: Set(tables))
    }
}
