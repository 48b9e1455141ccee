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
        /// A file this user may not read, with a sentence saying whose it is.
        case forbidden(String)
    }

    static func inspect(path: String) -> Finding {
        // stat first, and a non-blocking open: a FIFO named as the index must not hang the command (#33.18).
        var status = stat()
        guard stat(path, &status) == 0 else { return errno == ENOENT ? .absent : .foreign("it cannot be examined (\(String(cString: strerror(errno))))") }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .foreign("it is a folder; name the index file inside it, e.g. --db \(path)/index.sqlite")
        default: return .foreign("it is not a regular file (a FIFO, socket or device)")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            if errno == EACCES { return .forbidden(Self.owner(status)) }
            return .foreign("it cannot be read (\(String(cString: strerror(errno))))")
        }
        var bytes = [UInt8](repeating: 0, count: 100)
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, 100) }
        close(descriptor)
        let header = Data(bytes.prefix(max(0, count)))
        if header.isEmpty { return .absent }
        guard header.count >= 100, header.starts(with: Array("SQLite format 3\u{0}".utf8)) else {
            return .foreign("it is not a SQLite database")
        }
        let id = header[68..<72].reduce(Int32(0)) { ($0 << 8) | Int32($1) }
        if id == applicationId { return .index }
        if id != 0 { return .foreign("it is a SQLite database of another application (application_id \(id))") }
        return hasIndexTables(path: path) ? .index : .foreign("it is a SQLite database without qwery's tables")
    }

    /// "it belongs to alice (uid 1000) and its mode is 0600": whose file a permission error is about.
    static func owner(_ status: stat) -> String {
        let name = getpwuid(status.st_uid).flatMap { String(validatingCString: $0.pointee.pw_name) } ?? "uid \(status.st_uid)"
        return "permission denied: it belongs to \(name) (uid \(status.st_uid)) with mode \(String(status.st_mode & 0o777, radix: 8)), and this is uid \(getuid())"
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
