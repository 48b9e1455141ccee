import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// This very executable, for re-invoking it as a worker (`qwery extract-worker`, `qwery syntax-worker`).
package enum ExecutablePath {
    /// `/proc/self/exe` resolved, else how the process was started.
    package static var current: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return length > 0 ? String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
    }
}
