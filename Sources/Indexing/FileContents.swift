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

        var reason: String {
            switch self {
            case .vanished: return "deleted while indexing"
            case .unreadable(let why): return "cannot be read: \(why)"
            case .binary: return "binary (contains NUL bytes)"
            case .notText: return "not UTF-8 text"
            }
        }
    }

    static func read(path: String) -> Result<FileContents, Problem> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            return .failure(errno == ENOENT ? .vanished : .unreadable(String(cString: strerror(errno))))
        }
        defer { close(descriptor) }
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
        }
        if bytes.contains(0) { return .failure(.binary) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.notText) }
        return .success(FileContents(bytes: bytes, text: text))
    }
}
