import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Watches folders recursively with inotify and reports which roots changed, after a quiet period
/// that coalesces bursts (an editor's save-by-rename, a `git checkout`, a build).
///
/// New folders are watched as they appear; ignored folders (per the walker's rules) are not. A
/// kernel queue overflow reports every root, so the next scan catches up. The indexer then does a
/// stat scan of the changed roots, which is cheap when little changed.
package final class FileWatcher: Sendable {
    package let roots: [String]
    private let walker: Walker
    private let quietPeriod: TimeInterval
    private let onChange: @Sendable ([String]) -> Void
    private let descriptor: Int32
    /// What the watch loop keeps between events; `init` fills it, then the watcher's thread alone uses it
    /// (the lock is never contended: it makes that hand-over visible to the compiler).
    private struct LoopState {
        var watches: [Int32: (path: String, root: String)] = [:]
        var pending = Set<String>()
        var lastEvent = Date.distantPast
        /// When the oldest change not yet scanned arrived.
        var firstPending: Date?
        /// Folders inotify would not watch (the user's `max_user_watches` is used up), by root.
        var unwatched: [String: String] = [:]
        var lastRescan = Date()

        /// An event that counts: the quiet period starts again, and the wait for a scan starts if none is pending.
        mutating func note() {
            lastEvent = Date()
            if firstPending == nil { firstPending = lastEvent }
        }
    }
    private let loopState = Mutex(LoopState())
    private let maximumDelay: TimeInterval
    private let stopRequested = Atomic<Bool>(false)
    /// Test hook: behave as if the kernel refused watches past this many.
    private let watchLimit: Int?
    /// Watched and unwatched folder counts, for other threads (the status bar, `qwery status`).
    private let counts = Mutex((watched: 0, unwatched: 0))
    /// How often folders without a watch are rescanned instead.
    package static let rescanInterval: TimeInterval = 30

    /// Why watching could not start.
    package struct WatchError: Error, CustomStringConvertible {
        package let message: String
        package var description: String { message }
    }

    package init(roots: [String], walker: Walker = Walker(), quietPeriod: TimeInterval = 0.25, maximumDelay: TimeInterval = FileWatcher.defaultMaximumDelay,
                watchLimit: Int? = nil, onChange: @escaping @Sendable ([String]) -> Void) throws {
        self.maximumDelay = maximumDelay
        self.roots = roots
        self.watchLimit = watchLimit
        self.walker = walker
        self.quietPeriod = quietPeriod
        self.onChange = onChange
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else {
            throw WatchError(message: "cannot watch folders: inotify_init1 failed (\(String(cString: strerror(errno))))")
        }
        loopState.withLock { state in
            for root in roots { addWatches(under: root, root: root, state: &state) }
            publishCounts(state)
        }
    }

    deinit {
        close(descriptor)
    }

    /// Folders being watched.
    package var watchedFolderCount: Int { counts.withLock { $0.watched } }

    /// Folders that should be watched (watched or refused by the kernel).
    package var folderCount: Int { counts.withLock { $0.watched + $0.unwatched } }

    /// What the status bar says: "watching 3 folders", or, when inotify ran out of watches, how many are
    /// watched and what to do (the others are rescanned every 30 s).
    package var summary: String {
        let (watched, refused) = counts.withLock { ($0.watched, $0.unwatched) }
        let total = watched + refused
        guard refused > 0 else { return "watching \(total) folder\(total == 1 ? "" : "s")" }
        return "watching \(watched) of \(total) folders — raise fs.inotify.max_user_watches (the rest is rescanned every \(Int(Self.rescanInterval)) s)"
    }

    /// Starts the background thread that reads events.
    package func start() {
        let thread = Thread { [self] in self.loop() }
        thread.name = "qwery file watcher"
        thread.start()
    }

    /// Stops reading events (within about 100 ms).
    package func stop() {
        stopRequested.store(true, ordering: .sequentiallyConsistent)
    }

    private static let mask = UInt32(IN_CREATE | IN_DELETE | IN_CLOSE_WRITE | IN_MODIFY | IN_MOVED_FROM | IN_MOVED_TO
        | IN_DELETE_SELF | IN_MOVE_SELF | IN_ATTRIB | IN_ONLYDIR)

    /// The longest a change waits for its scan while events keep coming.
    package static let defaultMaximumDelay: TimeInterval = 2

    private func publishCounts(_ state: LoopState) {
        let watched = state.watches.count, refused = state.unwatched.count
        counts.withLock { $0 = (watched, refused) }
    }

    /// Watches `folder` and the folders under it that `root`'s ignore rules keep (all of them from `root` down).
    private func addWatches(under folder: String, root: String, state: inout LoopState) {
        for path in walker.folders(under: folder, root: root) {
            let refused = watchLimit.map { state.watches.count >= $0 } ?? false
            let watch = refused ? -1 : inotify_add_watch(descriptor, path, Self.mask)
            if watch >= 0 {
                state.watches[watch] = (path, root)
            } else if refused || errno == ENOSPC {
                state.unwatched[path] = root
            }
        }
    }

    private func loop() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !stopRequested.load(ordering: .sequentiallyConsistent) {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 100)
            let changed = loopState.withLock { state -> [String]? in
                if ready > 0 { readEvents(&buffer, state: &state) }
                if !state.unwatched.isEmpty && Date().timeIntervalSince(state.lastRescan) >= Self.rescanInterval {
                    // Without watches these folders can only be noticed by a (stat-only) scan of their roots.
                    state.lastRescan = Date()
                    state.pending.formUnion(state.unwatched.values)
                    state.lastEvent = .distantPast
                }
                // Quiet for `quietPeriod`, or changes waiting for `maximumDelay` however busy the folder is: a
                // folder that never stops changing still gets scanned (every couple of seconds).
                let now = Date()
                guard !state.pending.isEmpty, now.timeIntervalSince(state.lastEvent) >= quietPeriod
                        || now.timeIntervalSince(state.firstPending ?? now) >= maximumDelay else { return nil }
                let changed = roots.filter { state.pending.contains($0) }
                state.pending.removeAll()
                state.firstPending = nil
                return changed
            }
            if let changed { onChange(changed) }
        }
    }

    private func readEvents(_ buffer: inout [UInt8], state: inout LoopState) {
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            var offset = 0
            buffer.withUnsafeBytes { raw in
                while offset + MemoryLayout<inotify_event>.size <= count {
                    let watch = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                    let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let nameLength = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    let nameStart = offset + MemoryLayout<inotify_event>.size
                    let nameBytes = raw[nameStart..<nameStart + nameLength].prefix { $0 != 0 }
                    handle(watch: watch, mask: mask, name: String(decoding: nameBytes, as: UTF8.self), state: &state)
                    offset = nameStart + nameLength
                }
            }
        }
    }

    private func handle(watch: Int32, mask: UInt32, name: String, state: inout LoopState) {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 {
            state.note()
            state.pending.formUnion(roots)
            return
        }
        guard let watched = state.watches[watch] else { return }
        // A change the index would leave out (an ignored log appended every 100 ms, the index's own -wal
        // inside a watched folder, a hidden file) neither wakes a scan nor resets the quiet period.
        if !name.isEmpty, mask & UInt32(IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF) == 0,
           walker.ruleExclusion(of: watched.path + "/" + name, root: watched.root) != nil {
            return
        }
        state.note()
        state.pending.insert(watched.root)
        if mask & UInt32(IN_IGNORED) != 0 {
            state.watches[watch] = nil
            publishCounts(state)
            return
        }
        let isFolder = mask & UInt32(IN_ISDIR) != 0
        if isFolder && mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 && !name.isEmpty {
            addWatches(under: watched.path + "/" + name, root: watched.root, state: &state)
            publishCounts(state)
        }
    }
}
