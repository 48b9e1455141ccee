import Corpus
import Foundation
import Store

/// Keeps the index current while the app runs: one full run at start, then a run of the changed
/// roots after each batch of file-system events. Runs never overlap; changes that arrive during a
/// run trigger one more run afterwards.
public final class LiveIndex: BackgroundIndexing, @unchecked Sendable {
    // @unchecked: `scheduled` and `running` are guarded by `lock`; the indexer runs only on `queue`.
    private let indexer: Indexer
    public let roots: [String]
    private let onEvent: @Sendable (IndexEvent) -> Void
    private let queue = DispatchQueue(label: "qwery.live-index")
    private let lock = NSLock()
    private var scheduled = Set<String>()
    private var running = false
    private var watcher: FileWatcher?
    /// Held while this process is the index's writer (see `IndexWriterLock`); nil while following another.
    private var writerLock: IndexWriterLock?
    private var followTimer: DispatchSourceTimer?

    public init(indexer: Indexer, roots: [String], onEvent: @escaping @Sendable (IndexEvent) -> Void) {
        self.indexer = indexer
        self.roots = roots
        self.onEvent = onEvent
    }

    /// Indexes every root in the background, then watches them.
    public func start() throws {
        let watcher = try FileWatcher(roots: roots, walker: indexer.walker) { [weak self] changed in
            self?.schedule(changed)
        }
        self.watcher = watcher
        if watcher.folderCount > watcher.watchedFolderCount { onEvent(.problem(watcher.summary)) }
        watcher.start()
        schedule(roots)
    }

    /// Embeds these chunk contents before the rest of the queue (the screen's visible lexical results).
    public func prioritize(_ contentHashes: [Data]) {
        indexer.prioritize(contentHashes)
    }

    public func stop() {
        watcher?.stop()
        followTimer?.cancel()
    }

    /// Blocks until the run in progress (if any) has returned.
    public func waitUntilIdle() {
        queue.sync {}
    }

    /// "watching N folders" (or how many of them when inotify ran out of watches).
    public var watchSummary: String { watcher?.summary ?? "not watching" }

    /// Whether a run is going on or waiting.
    public var isBusy: Bool { lock.withLock { running || !scheduled.isEmpty } }

    private func schedule(_ changed: [String]) {
        let startNow: Bool = lock.withLock {
            scheduled.formUnion(changed)
            if running { return false }
            running = true
            return true
        }
        if startNow { queue.async { self.drain() } }
    }

    private func drain() {
        while true {
            let batch: [String] = lock.withLock {
                let batch = roots.filter { scheduled.contains($0) }
                scheduled.removeAll()
                if batch.isEmpty { running = false }
                return batch
            }
            if batch.isEmpty { return }
            guard becomeWriter() else {
                // Another process indexes; the roots are its to scan. Follow it and retry the lock later.
                startFollowing()
                lock.withLock { running = false }
                return
            }
            writerLock?.announce(.indexing)
            do {
                try indexer.run(roots: batch) { self.onEvent($0) }
            } catch {
                onEvent(.problem("indexing failed: \(error)"))
            }
            writerLock?.announce(.watching)
        }
    }

    // MARK: - One writer per index

    /// Whether this process holds (or just took) the index's writer lock. Runs on `queue`.
    private func becomeWriter() -> Bool {
        if writerLock != nil { return true }
        writerLock = IndexWriterLock.acquire(databasePath: indexer.database.path)
        return writerLock != nil
    }

    /// Every 2 s while another process writes: pick up its vectors, and take over once it has exited.
    private func startFollowing() {
        onEvent(.followingWriter(pid: IndexWriterLock.holder(databasePath: indexer.database.path)))
        guard followTimer == nil else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + 2, repeating: 2)
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            self.onEvent(.followedWriter)
            if self.becomeWriter() {
                self.followTimer?.cancel()
                self.followTimer = nil
                self.schedule(self.roots)
            }
        }
        followTimer = timer
        timer.resume()
    }
}
