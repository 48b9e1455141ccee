import Foundation

/// Keeps the index current while the app runs: one full run at start, then a run of the changed
/// roots after each batch of file-system events. Runs never overlap; changes that arrive during a
/// run trigger one more run afterwards.
public final class LiveIndex: @unchecked Sendable {
    // @unchecked: `scheduled` and `running` are guarded by `lock`; the indexer runs only on `queue`.
    private let indexer: Indexer
    public let roots: [String]
    private let onEvent: @Sendable (IndexEvent) -> Void
    private let queue = DispatchQueue(label: "qwery.live-index")
    private let lock = NSLock()
    private var scheduled = Set<String>()
    private var running = false
    private var watcher: FileWatcher?

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
        watcher.start()
        schedule(roots)
    }

    public func stop() {
        watcher?.stop()
    }

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
            do {
                try indexer.run(roots: batch) { self.onEvent($0) }
            } catch {
                onEvent(.problem("indexing failed: \(error)"))
            }
        }
    }
}
