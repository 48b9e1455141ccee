import Foundation
import Synchronization

/// The one gate every use of a process's models goes through: people first, the indexer after.
///
/// Interactive work (embedding a query, the rerank pass) runs alone and before anything else. Background
/// work (the indexer embedding chunks) runs when no interactive work runs or waits, and gives way *inside*
/// a pass: between the model's layers each of its threads asks `checkpoint()`, and while interactive work
/// waits or runs that thread pauses there, keeping its activations, and continues with the next layer
/// afterwards — nothing is lost and nothing is computed twice. So a query typed during indexing waits at
/// most one layer of the indexer's batch, then has both cores to itself.
///
/// Who waits for whom: interactive waits for background threads to reach a layer boundary; background waits
/// for every interactive request (running or queued); interactive requests run one at a time, in arrival
/// order of the lock.
package final class EngineScheduler: Sendable {
    private struct State {
        var interactiveWaiting = 0
        var interactiveRunning = false
        /// Background threads between two checkpoints (computing a layer).
        var backgroundComputing = 0
        /// Background threads paused at a checkpoint (for the tests and `qwery bench`).
        var backgroundPaused = 0
        var interactiveServed = 0
        /// Checkpoints background threads have passed (how far the indexer got), for `shareWithBackground`.
        var backgroundSteps = 0
    }

    /// The share of engine time the indexer keeps while a rerank pass runs: a pass gives way between its steps so
    /// that the indexer computes at least this fraction of the time (a person reading results for half a minute
    /// used to stop a first index: 16 chunks in 10–20 s). Queries' own embeddings never give way.
    package static let backgroundShareDuringRerank = 0.25

    private let condition = NSCondition()
    private nonisolated(unsafe) var state = State()  // guarded by `condition`

    package init() {}

    /// Runs `work` before any further background layer; returns its result.
    package func interactive<T>(_ work: () throws -> T) rethrows -> T {
        condition.lock()
        state.interactiveWaiting += 1
        condition.broadcast()
        while state.interactiveRunning || state.backgroundComputing > 0 { condition.wait() }
        state.interactiveWaiting -= 1
        state.interactiveRunning = true
        condition.unlock()
        defer {
            condition.lock()
            state.interactiveRunning = false
            state.interactiveServed += 1
            condition.broadcast()
            condition.unlock()
        }
        return try work()
    }

    /// Runs background `work`, which calls the gate's `checkpoint()` between steps and `leave()` when a
    /// thread is done (the model does both, on each of its threads); threads still counted when `work`
    /// returns are released then.
    package func background<T>(_ work: (_ gate: BackgroundGate) throws -> T) rethrows -> T {
        let gate = BackgroundGate(scheduler: self)
        defer { gate.finish() }
        return try work(gate)
    }

    /// How long background work is owed after interactive work of `elapsed` seconds, so that it gets `share` of the
    /// time: elapsed × share / (1 − share) (a third of a rerank step at a quarter share).
    package static func owedBackgroundTime(after elapsed: TimeInterval, share: Double = backgroundShareDuringRerank) -> TimeInterval {
        guard share > 0, share < 1, elapsed > 0 else { return 0 }
        return elapsed * share / (1 - share)
    }

    /// Between two steps of a long interactive job (a rerank pass) whose last step took `elapsed` seconds: while
    /// background work is under way, waits until it has passed at least one more checkpoint and its owed time has
    /// gone by (`owedBackgroundTime`), so the indexer is never starved by a pass; returns at once when no
    /// background work is under way. Bounded: never longer than the owed time plus five seconds.
    /// Returns how many background steps were computed meanwhile.
    @discardableResult
    package func shareWithBackground(after elapsed: TimeInterval, share: Double = backgroundShareDuringRerank) -> Int {
        let owed = Self.owedBackgroundTime(after: elapsed, share: share)
        guard owed > 0 else { return 0 }
        let now = Date()
        let due = now.addingTimeInterval(owed)
        let limit = now.addingTimeInterval(owed + 5)
        condition.lock()
        defer { condition.unlock() }
        let before = state.backgroundSteps
        while state.backgroundComputing + state.backgroundPaused > 0 {
            let progressed = state.backgroundSteps > before
            if progressed && Date() >= due { break }
            if !condition.wait(until: progressed ? due : limit) && !progressed { break }
        }
        return state.backgroundSteps - before
    }

    /// Whether interactive work waits or runs (background work should give way).
    package var interactiveIsPending: Bool {
        condition.lock()
        defer { condition.unlock() }
        return state.interactiveWaiting > 0 || state.interactiveRunning
    }

    /// Checkpoints background threads have passed so far: progress finer than a batch (`qwery bench`).
    package var backgroundStepCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return state.backgroundSteps
    }

    /// Background threads paused at a checkpoint right now.
    package var pausedBackgroundThreads: Int {
        condition.lock()
        defer { condition.unlock() }
        return state.backgroundPaused
    }

    /// Blocks until `count` background threads are paused (tests use it instead of sleeping).
    package func waitUntilPaused(_ count: Int) {
        condition.lock()
        while state.backgroundPaused < count { condition.wait() }
        condition.unlock()
    }

    // MARK: - Background bookkeeping (BackgroundGate)

    /// A thread of background work reaches a step boundary: it leaves the computing set, waits while
    /// interactive work is pending, and re-enters.
    fileprivate func checkpoint(wasComputing: Bool) {
        condition.lock()
        if wasComputing { state.backgroundComputing -= 1 }
        state.backgroundSteps += 1
        if state.interactiveWaiting > 0 || state.interactiveRunning {
            state.backgroundPaused += 1
            condition.broadcast()
            while state.interactiveWaiting > 0 || state.interactiveRunning { condition.wait() }
            state.backgroundPaused -= 1
        }
        state.backgroundComputing += 1
        condition.broadcast()
        condition.unlock()
    }

    fileprivate func leave(threads: Int) {
        guard threads > 0 else { return }
        condition.lock()
        state.backgroundComputing -= threads
        condition.broadcast()
        condition.unlock()
    }
}

/// The checkpoints of one background job: each thread that calls `checkpoint()` counts as computing until
/// its next checkpoint, or until the job ends.
package final class BackgroundGate: Sendable {
    private let scheduler: EngineScheduler
    private let computing = Mutex(Set<UInt>())

    fileprivate init(scheduler: EngineScheduler) {
        self.scheduler = scheduler
    }

    /// Between two steps: give way to interactive work if any is pending, then go on.
    package func checkpoint() {
        let thread = UInt(pthread_self())
        let wasComputing = computing.withLock { !$0.insert(thread).inserted }
        scheduler.checkpoint(wasComputing: wasComputing)
    }

    /// This thread is done with its part of the job (the model calls it after its last layer), so
    /// interactive work need not wait for it.
    package func leave() {
        let thread = UInt(pthread_self())
        if computing.withLock({ $0.remove(thread) != nil }) { scheduler.leave(threads: 1) }
    }

    fileprivate func finish() {
        let threads = computing.withLock { set in
            defer { set.removeAll() }
            return set.count
        }
        scheduler.leave(threads: threads)
    }
}
