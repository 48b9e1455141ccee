/// Why the index database could not be opened or written.
package enum StoreError: Error, Sendable, Equatable {
    case cannotOpen(path: String, reason: String)
    case databaseFailure(operation: String, reason: String)
    case diskFull(path: String)
    case notAnIndex(path: String, reason: String)
    case missing(path: String)
    case damaged(path: String, detail: String)
    /// The file system does not let this process write the index (the file's or its folder's permissions).
    case cannotWrite(path: String, reason: String)
    /// A search's statement stopped by its budget: a newer query replaced it, or it ran past its time.
    case stopped(operation: String, reason: QueryStop)
}

extension StoreError: CustomStringConvertible {
    package var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "Cannot open the index at \(path): \(reason). Check the permissions of the file and its folder, or choose another file with --db."
        case .databaseFailure(let operation, let reason):
            return "The index could not \(operation): \(reason)."
        case .diskFull(let path):
            return "The disk holding \(path) is full; the index kept its last complete state. Free some space and run again."
        case .notAnIndex(let path, let reason):
            return "\(path) is not a qwery index: \(reason). qwery left it unchanged; name another file with --db."
        case .damaged(let path, let detail):
            return "The index at \(path) is damaged (SQLite: \(detail)). Run `qwery index --rebuild` to make a new one from your folders; every vector that can still be read is reused, and the damaged file is replaced only when the new one is complete."
        case .cannotWrite(let path, let reason):
            return "Cannot write the index at \(path): \(reason). Read-only commands (search, status, similar) still work; or choose another file with --db."
        case .stopped(let operation, .cancelled):
            return "Stopped before it could \(operation): a newer query replaced it."
        case .stopped(let operation, .timedOut):
            return "Could not \(operation) within its time budget; type more of the query (a longer word, or a filter) to narrow it."
        case .missing(let path):
            return "There is no index at \(path). Run `qwery index FOLDER` to make one, or name the right file with --db."
        }
    }
}
