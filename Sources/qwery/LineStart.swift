import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How far into its line a byte of a file is: the bytes back to the previous newline. A chunk that starts a line
/// costs one one-byte read; a piece of a 2 MB minified line reads back 64 KiB at a time (never more than the line).
/// Opened like indexing reads (no links followed, no FIFO waited on); 0 when the file cannot be read.
enum LineStart {
    static func offset(ofByte byte: Int, in path: String) -> Int {
        guard byte > 0 else { return 0 }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else { return 0 }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return 0 }
        var end = byte
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        // One byte first: almost every chunk starts right after a newline.
        var step = 1
        while end > 0 {
            let count = min(step, end)
            let got = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(end - count)) }
            guard got == count else { return 0 }
            if let newline = buffer[0..<count].lastIndex(of: 0x0A) { return byte - (end - count + newline + 1) }
            end -= count
            step = buffer.count
        }
        return byte
    }
}
