import Corpus
import Foundation
import Store

/// Keeps the index current while the app runs: one full run at start, then a scan of the changed roots
/// after each batch of file-system events.
///
/// Two serial queues, so a change is never stuck behind hours of embedding: scans (files → chunks, searchable
/// lexically at once) run on `scanQueue`, one at a time; the embedding pass runs on `embedQueue` and picks up
/// what scans saved as it goes — newest files first, so a file saved during a first index is embedded next.
/// A scan that ends while the pass runs reports `.changesIndexed`; the pass ends the run with `.finished`.
public final class LiveIndex: BackgroundIndexing, @unchecked Sendable {
    // @unchecked: `state` and `writerLock` are guarded by `lock`; scans run only on `scanQueue`, embedding only
    // on `embedQueue` (the indexer's scan and embedding halves touch separate state).
    private let indexer: Indexer
    public let roots: [String]
    private let onEvent: @Sendable (IndexEvent) -> Void
    private let scanQueue = DispatchQueue(label: "qwery.live-index.scan")
    private let embedQueue = DispatchQueue(label: "qwery.live-index.embed")
    private let lock = NSLock()
    private struct State {
        var scheduled = Set<String>()
        var scanning = false
        var embedding = false
        /// Scanned since the embedding pass last looked: it must look again before it ends.
        var scannedMeanwhile = false
        /// What the scans of this run did, handed to the pass that finishes it.
        var summary = IndexSummary()
    }
    private var state = State()
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

    /// Blocks until no scan or embedding pass runs or waits.
    public func waitUntilIdle() {
        repeat {
            scanQueue.sync {}
            embedQueue.sync {}
        } while isBusy
    }

    /// "watching N folders" (or how many of them when inotify ran out of watches).
    public var watchSummary: String { watcher?.summary ?? "not watching" }

    /// Whether a scan or an embedding pass is going on or waiting.
    public var isBusy: Bool { lock.withLock { state.scanning || state.embedding || !state.scheduled.isEmpty } }

    private func schedule(_ changed: [String]) {
        let startNow: Bool = lock.withLock {
            state.scheduled.formUnion(changed)
            if state.scanning { return false }
            state.scanning = true
            return true
        }
        if startNow { scanQueue.async { self.drainScans() } }
    }

    private func drainScans() {
        while true {
            let batch: [String] = lock.withLock {
                let batch = roots.filter { state.scheduled.contains($0) }
                state.scheduled.removeAll()
                if batch.isEmpty { state.scanning = false }
                return batch
            }
            if batch.isEmpty { return }
            guard becomeWriter() else {
                // Another process indexes; the roots are its to scan. Follow it and retry the lock later.
                startFollowing()
                lock.withLock { state.scanning = false }
                return
            }
            announce(.indexing)
            var summary = IndexSummary()
            do {
                guard try indexer.scan(roots: batch, into: &summary, report: onEvent) else { continue }
            } catch {
                onEvent(.problem("indexing failed: \(error)"))
            }
            handOver(summary)
        }
    }

    /// A scan is done: the embedding pass (started now, or already running) embeds what it saved and ends the run.
    private func handOver(_ summary: IndexSummary) {
        let (startPass, passRuns): (Bool, Bool) = lock.withLock {
            state.summary.add(summary)
            state.scannedMeanwhile = true
            if state.embedding { return (false, true) }
            state.embedding = true
            return (true, false)
        }
        if passRuns, summary.changedAnything { onEvent(.changesIndexed(summary)) }
        if startPass { embedQueue.async { self.drainEmbedding() } }
    }

    private func drainEmbedding() {
        while true {
            var summary: IndexSummary = lock.withLock {
                state.scannedMeanwhile = false
                defer { state.summary = IndexSummary() }
                return state.summary
            }
            do {
                try indexer.complete(&summary, report: onEvent)
            } catch {
                onEvent(.problem("indexing failed: \(error)"))
            }
            // A scan that ended after the pass last looked for chunks to embed leaves work: look again.
            let stopping = indexer.shouldStop?() == true
            let done: Bool = lock.withLock {
                // Stopping (SIGTERM): what a scan saved meanwhile is the next run's to embed.
                if state.scannedMeanwhile && !stopping { return false }
                state.embedding = false
                return true
            }
            if done {
                if !isBusy { announce(.watching) }
                return
            }
        }
    }

    private func announce(_ activity: IndexWriterLock.Activity) {
        lock.withLock { writerLock }?.announce(activity)
    }

    // MARK: - One writer per index

    /// Whether this process holds (or just took) the index's writer lock. Runs on `queue`.
    private func becomeWriter() -> Bool {
        lock.withLock {
            if writerLock == nil { writerLock = IndexWriterLock.acquire(databasePath: indexer.database.path) }
            return writerLock != nil
        }
    }

    /// Every 2 s while another process writes: pick up its vectors, and take over once it has exited.
    private func startFollowing() {
        onEvent(.followingWriter(pid: IndexWriterLock.holder(databasePath: indexer.database.path)))
        guard followTimer == nil else { return }
        let timer = DispatchSource.makeTimerSource(queue: scanQueue)
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
