import CProcess
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Newline-delimited messages on a connected socket, read and written whole (EINTR retried; a timeout set on the
/// socket ends a read or write that waits too long).
struct LineChannel {
    let descriptor: Int32
    /// Bytes after the last line read.
    private var pending: [UInt8] = []

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// The next line (without its newline), nil at end of input, on a timeout, or past `limit` bytes.
    mutating func readLine(limit: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                return line
            }
            guard pending.count <= limit else { return nil }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            pending += buffer[0..<count]
        }
    }

    /// Writes `bytes` and a newline; false when the other end is gone or stopped reading (MSG_NOSIGNAL: no SIGPIPE).
    func writeLine(_ bytes: Data) -> Bool {
        var message = [UInt8](bytes)
        message.append(0x0A)
        var offset = 0
        while offset < message.count {
            let sent = message[offset...].withUnsafeBytes { qwery_send_nosignal(descriptor, $0.baseAddress, UInt($0.count)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }
}
