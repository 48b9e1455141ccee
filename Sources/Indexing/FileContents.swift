import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file's bytes and text, or why it cannot be indexed.
struct FileContents {
    let bytes: [UInt8]
    let text: String

    /// Why a file was not read as text.
    enum Problem: Error, Equatable {
        case vanished
        case unreadable(String)
        case binary
        case notText
        case notRegular(String)
        case utf16
        /// Larger than the limit when read, although not when the walk looked (it grew meanwhile).
        case grew(limit: Int64)

        static let unreadablePrefix = "cannot be read: "

        /// Whether a skip for this reason may clear without the file's size or time changing (a chmod): such
        /// files are read again on every run.
        static func mayClearWithoutChange(_ reason: String?) -> Bool {
            reason?.hasPrefix(unreadablePrefix) ?? false
        }

        var reason: String {
            switch self {
            case .vanished: return "deleted while indexing"
            case .unreadable(let why): return Self.unreadablePrefix + why
            case .binary: return "binary (contains NUL bytes)"
            case .notText: return "not UTF-8 text"
            case .notRegular(let what): return "never read: \(what)"
            case .utf16: return "UTF-16 text (qwery reads UTF-8: convert it, e.g. iconv -f UTF-16 -t UTF-8)"
            case .grew(let limit): return "larger than the \(Walker.megabytes(limit)) limit (it grew while being read)"
            }
        }
    }

    /// Where files look regular but block (`/proc/kmsg`) or describe the machine: never notes. Walked
    /// paths are real paths (roots are resolved, links are not followed), so a prefix decides.
    static let pseudoFileSystems = ["/proc/", "/sys/", "/dev/"]

    static func read(path: String, limit: Int64 = .max) -> Result<FileContents, Problem> {
        let read = readBytes(path: path, limit: limit) { _, bytes in bytes }
        guard case .success(let bytes) = read else {
            if case .failure(let problem) = read { return .failure(problem) }
            return .failure(.vanished)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return .failure(.utf16) }
        if bytes.contains(0) { return .failure(.binary) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.notText) }
        return .success(FileContents(bytes: bytes, text: text))
    }

    /// Opens a regular file without following links or blocking, reads all its bytes, and hands them with the
    /// still-open descriptor to `body` (a document goes on to the extraction worker through it).
    /// `limit` caps the read itself: a file that grew past it since the walk's `lstat` is refused after
    /// `limit` + 1 bytes, never read whole.
    static func readBytes<T>(path: String, limit: Int64 = .max, _ body: (Int32, [UInt8]) -> T) -> Result<T, Problem> {
        // O_NOFOLLOW and O_NONBLOCK: a file swapped for a link or a FIFO after the walk is refused, never
        // waited on; fstat then checks what was really opened.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else {
            if errno == ELOOP { return .failure(.notRegular("a symbolic link")) }
            return .failure(errno == ENOENT ? .vanished : .unreadable(String(cString: strerror(errno))))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .failure(.notRegular("a folder, not a file"))
        default: return .failure(.notRegular("not a regular file (a FIFO, socket or device)"))
        }
        if Self.pseudoFileSystems.contains(where: { path.hasPrefix($0) }) {
            return .failure(.notRegular("a /proc, /sys or /dev entry"))
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(.unreadable(String(cString: strerror(errno))))
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
            if Int64(bytes.count) > limit { return .failure(.grew(limit: limit)) }
        }
        return .success(body(descriptor, bytes))
    }
}
