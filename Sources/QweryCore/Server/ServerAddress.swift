import Checksums
import Foundation

/// Where the server of an index listens: `$XDG_RUNTIME_DIR/qwery/index-HASH.sock` (else the cache folder's
/// `qwery/run/`), HASH naming the index's real path — one socket per index, found by every face from the index
/// path alone. The folder is created 0700; the socket itself is 0600.
package enum ServerAddress {
    package static func socketPath(forIndex indexPath: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let real = URL(fileURLWithPath: indexPath).standardizedFileURL.resolvingSymlinksInPath().path
        let hash = SHA256.hash(Array(real.utf8)).hexString.prefix(16)
        return folder(environment: environment) + "/index-\(hash).sock"
    }

    /// The listening socket systemd passed this process (socket activation: `LISTEN_PID` is `pid` and `LISTEN_FDS` is
    /// at least 1): descriptor 3, the first passed. nil when not activated.
    package static func activatedListener(environment: [String: String] = ProcessInfo.processInfo.environment,
                                         pid: Int32 = getpid()) -> Int32? {
        guard environment["LISTEN_PID"].flatMap({ Int32($0) }) == pid, (environment["LISTEN_FDS"].flatMap { Int($0) } ?? 0) >= 1 else {
            return nil
        }
        return 3
    }

    /// The folder of the sockets (not created).
    package static func folder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty { return runtime + "/qwery" }
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.cache"
        return cache + "/qwery/run"
    }
}
