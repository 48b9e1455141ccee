/// Why the index database could not be opened or written.
public enum StoreError: Error, Sendable, Equatable {
    case cannotOpen(path: String, reason: String)
    case databaseFailure(operation: String, reason: String)
    case diskFull(path: String)
    case notAnIndex(path: String, reason: String)
    case missing(path: String)
    case outdated(path: String)
}

extension StoreError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "Cannot open the index at \(path): \(reason). Check the folder's permissions, or choose another file with --db."
        case .databaseFailure(let operation, let reason):
            return "The index could not \(operation): \(reason)."
        case .diskFull(let path):
            return "The disk holding \(path) is full; the index kept its last complete state. Free some space and run again."
        case .notAnIndex(let path, let reason):
            return "\(path) is not a qwery index: \(reason). qwery left it unchanged; name another file with --db."
        case .missing(let path):
            return "There is no index at \(path). Run `qwery index FOLDER` to make one, or name the right file with --db."
        case .outdated(let path):
            return "The index at \(path) was made by an older qwery. Run `qwery index` once to upgrade it."
        }
    }
}
