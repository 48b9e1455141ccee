import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One writer per index: an advisory `flock` on `INDEX.lock` beside the database. The process holding it
/// indexes and embeds; every other qwery process on the same index only searches it and follows the
/// writer's vectors. The kernel releases the lock when the holder exits, however it exits (even `kill -9`),
/// so a waiting process takes over. The lock file says who holds it (`pid`, activity, and the socket of its
/// query server when it serves one), so every face finds the server however its environment names folders.
package final class IndexWriterLock: Sendable {
    package let path: String
    private let descriptor: Int32
    private let databasePath: String
    private let activity = Mutex(Activity.indexing)

    private init(path: String, descriptor: Int32, databasePath: String) {
        self.path = path
        self.descriptor = descriptor
        self.databasePath = databasePath
    }

    /// The query server sockets this process serves, by index database path (`QueryServer` sets them), and the
    /// writer locks it holds: a lock names its index's socket whenever it writes the file.
    private static let serving = Mutex<[String: String]>([:])
    private static let held = Mutex<[String: WeakLock]>([:])
    private struct WeakLock { weak var lock: IndexWriterLock? }

    /// This process serves searches of the index at `databasePath` at `socket` (nil: no longer): written into the
    /// lock file when this process holds the index's writer lock, now or later.
    package static func announceServing(databasePath: String, socket: String?) {
        serving.withLock { $0[databasePath] = socket }
        held.withLock { $0[databasePath]?.lock }?.write()
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// The lock file of the index at `databasePath`.
    package static func lockPath(for databasePath: String) -> String { databasePath + ".lock" }

    /// Takes the lock when no other process holds it (else nil), and records this process's id in it.
    package static func acquire(databasePath: String) -> IndexWriterLock? {
        take(databasePath: databasePath, operation: LOCK_EX | LOCK_NB)
    }

    /// What the holder is doing, written into the lock file after its pid, for a process waiting on it.
    package enum Activity: String, Sendable {
        /// Scanning folders or embedding.
        case indexing
        /// Up to date, watching folders for changes (a screen, `qwery watch`, `qwery mcp`).
        case watching
    }

    /// The holder's pid, what it is doing, and where it answers searches (when it serves them).
    package struct Holder: Sendable, Equatable {
        package let pid: Int32?
        package let activity: Activity
        package var socket: String? = nil
    }

    /// Records what this holder is doing now (the lock file holds `pid\nactivity\n`, then the socket when serving).
    package func announce(_ activity: Activity) {
        self.activity.withLock { $0 = activity }
        write()
    }

    private func write() {
        let socket = Self.serving.withLock { $0[databasePath] }
        let text = Array("\(getpid())\n\(activity.withLock { $0 }.rawValue)\n\(socket.map { $0 + "\n" } ?? "")".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// Who holds the lock and what it is doing, when another process holds it.
    package static func currentHolder(databasePath: String) -> Holder? {
        let path = lockPath(for: databasePath)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        // A shared lock is granted unless someone holds the exclusive one.
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return nil
        }
        let lines = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n")
        return Holder(pid: lines.first.flatMap { Int32($0) },
                      activity: lines.dropFirst().first.flatMap { Activity(rawValue: String($0)) } ?? .indexing,
                      socket: lines.dropFirst(2).first.map(String.init))
    }

    /// Waits until the lock is free, then takes it.
    package static func wait(databasePath: String) -> IndexWriterLock? {
        take(databasePath: databasePath, operation: LOCK_EX)
    }

    /// The process id written by the current holder, when another process holds the lock.
    package static func holder(databasePath: String) -> Int32? {
        return currentHolder(databasePath: databasePath)?.pid
    }

    private static func take(databasePath: String, operation: Int32) -> IndexWriterLock? {
        let path = lockPath(for: databasePath)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        var result: Int32
        repeat { result = flock(descriptor, operation) } while result != 0 && errno == EINTR
        guard result == 0 else {
            close(descriptor)
            return nil
        }
        let lock = IndexWriterLock(path: path, descriptor: descriptor, databasePath: databasePath)
        held.withLock { $0[databasePath] = WeakLock(lock: lock) }
        lock.announce(.indexing)
        return lock
    }
}
