import Corpus
import Foundation
import Synchronization
import Store

/// Keeps the index current while the app runs: one full run at start, then a scan of the changed roots
/// after each batch of file-system events.
///
/// Two serial queues, so a change is never stuck behind hours of embedding: scans (files → chunks, searchable
/// lexically at once) run on `scanQueue`, one at a time; the embedding pass runs on `embedQueue` and picks up
/// what scans saved as it goes — newest files first, so a file saved during a first index is embedded next.
/// A scan that ends while the pass runs reports `.changesIndexed`; the pass ends the run with `.finished`.
package final class LiveIndex: Sendable {
    // Scans run only on `scanQueue`, embedding only on `embedQueue` (the indexer's scan and embedding halves touch
    // separate state); everything mutable here is in `state`, under its mutex.
    private let indexer: Indexer
    package let roots: [String]
    private let onEvent: @Sendable (IndexEvent) -> Void
    private let scanQueue = DispatchQueue(label: "qwery.live-index.scan")
    private let embedQueue = DispatchQueue(label: "qwery.live-index.embed")
    private struct State {
        var scheduled = Set<String>()
        var scanning = false
        var embedding = false
        /// Scanned since the embedding pass last looked: it must look again before it ends.
        var scannedMeanwhile = false
        /// What the scans of this run did, handed to the pass that finishes it.
        var summary = IndexSummary()
        var watcher: FileWatcher?
        /// Held while this process is the index's writer (see `IndexWriterLock`); nil while following another.
        var writerLock: IndexWriterLock?
        /// Following another writer: a look every 2 s (`followLater`).
        var following = false
        var stopped = false
    }
    private let state = Mutex(State())

    package init(indexer: Indexer, roots: [String], onEvent: @escaping @Sendable (IndexEvent) -> Void) {
        self.indexer = indexer
        self.roots = roots
        self.onEvent = onEvent
    }

    /// Indexes every root in the background, then watches them.
    package func start() throws {
        let watcher = try FileWatcher(roots: roots, walker: indexer.walker) { [weak self] changed in
            self?.schedule(changed)
        }
        state.withLock { $0.watcher = watcher }
        if watcher.folderCount > watcher.watchedFolderCount { onEvent(.problem(watcher.summary)) }
        watcher.start()
        schedule(roots)
    }

    /// Embeds these chunk contents before the rest of the queue (the screen's visible lexical results).
    package func prioritize(_ contentHashes: [Data]) {
        indexer.prioritize(contentHashes)
    }

    package func stop() {
        let watcher = state.withLock { state in
            state.stopped = true
            return state.watcher
        }
        watcher?.stop()
    }

    /// Blocks until no scan or embedding pass runs or waits.
    package func waitUntilIdle() {
        repeat {
            scanQueue.sync {}
            embedQueue.sync {}
        } while isBusy
    }

    /// "watching N folders" (or how many of them when inotify ran out of watches).
    package var watchSummary: String { state.withLock { $0.watcher }?.summary ?? "not watching" }

    /// Whether a scan or an embedding pass is going on or waiting.
    package var isBusy: Bool { state.withLock { state in state.scanning || state.embedding || !state.scheduled.isEmpty } }

    private func schedule(_ changed: [String]) {
        let startNow: Bool = state.withLock { state in
            state.scheduled.formUnion(changed)
            if state.scanning { return false }
            state.scanning = true
            return true
        }
        if startNow { scanQueue.async { self.drainScans() } }
    }

    private func drainScans() {
        while true {
            let batch: [String] = state.withLock { state in
                let batch = roots.filter { state.scheduled.contains($0) }
                state.scheduled.removeAll()
                if batch.isEmpty { state.scanning = false }
                return batch
            }
            if batch.isEmpty { return }
            guard becomeWriter() else {
                // Another process indexes; the roots are its to scan. Follow it and retry the lock later.
                startFollowing()
                state.withLock { state in state.scanning = false }
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
        let (startPass, passRuns): (Bool, Bool) = state.withLock { state in
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
            var summary: IndexSummary = state.withLock { state in
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
            let done: Bool = state.withLock { state in
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
        state.withLock { $0.writerLock }?.announce(activity)
    }

    // MARK: - One writer per index

    /// Whether this process holds (or just took) the index's writer lock. Runs on `scanQueue`.
    private func becomeWriter() -> Bool {
        state.withLock { state in
            if state.writerLock == nil { state.writerLock = IndexWriterLock.acquire(databasePath: indexer.database.path) }
            return state.writerLock != nil
        }
    }

    /// Every 2 s while another process writes: pick up its vectors, and take over once it has exited.
    private func startFollowing() {
        onEvent(.followingWriter(pid: IndexWriterLock.holder(databasePath: indexer.database.path)))
        let startNow = state.withLock { state -> Bool in
            guard !state.following else { return false }
            state.following = true
            return true
        }
        if startNow { followLater() }
    }

    /// One look at the other writer in 2 s (on `scanQueue`), then the next, until this process takes over or stops.
    private func followLater() {
        scanQueue.asyncAfter(deadline: .now() + 2) { [weak self] in
            guard let self, self.state.withLock({ $0.following && !$0.stopped }) else { return }
            self.onEvent(.followedWriter)
            if self.becomeWriter() {
                self.state.withLock { $0.following = false }
                self.schedule(self.roots)
            } else {
                self.followLater()
            }
        }
    }
}
