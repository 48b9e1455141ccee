import Foundation
import Synchronization
import Testing
@testable import Engine

/// People before the indexer (issue #14): interactive work runs while background work is paused at a
/// layer boundary, and the paused work resumes without losing or repeating a step. No sleeps: the tests
/// wait on the scheduler's own state.
@Suite("Engine scheduler", .serialized)
struct EngineSchedulerTests {
    @Test("Given background steps running, when an interactive request arrives, then it runs while the background is paused, and no step is lost or repeated")
    func interactiveRunsBetweenBackgroundSteps() throws {
        let scheduler = EngineScheduler()
        let steps = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        let started = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            scheduler.background { gate in
                while !stop.load(ordering: .sequentiallyConsistent) {
                    gate.checkpoint()
                    let done = steps.add(1, ordering: .sequentiallyConsistent).newValue
                    if done == 3 { started.signal() }
                }
            }
            finished.signal()
        }
        started.wait()

        let (before, after, paused) = scheduler.interactive { () -> (Int, Int, Int) in
            let before = steps.load(ordering: .sequentiallyConsistent)
            var sink = 0.0
            for value in 0..<2_000_000 { sink += Double(value).squareRoot() }
            #expect(sink > 0)
            return (before, steps.load(ordering: .sequentiallyConsistent), scheduler.pausedBackgroundThreads)
        }
        #expect(before == after, "the background advanced \(after - before) steps during interactive work")
        #expect(paused == 1)
        stop.store(true, ordering: .sequentiallyConsistent)
        finished.wait()
        #expect(!scheduler.interactiveIsPending)
    }

    @Test("Given a batch being embedded as background work, when a query is embedded meanwhile, then both equal their ungated results")
    func pausedPassResumesExactly() throws {
        let folder = ModelFixtures.folder("tiny-causal")
        let embedder = try Embedder(folder: folder, precision: .exact)
        let documents = try ModelFixtures.expected("tiny-causal").documents.map(\.ids).suffix(4)
        let batch = Array(documents)
        let alone = try embedder.embed(ids: batch)
        let query = try ModelFixtures.expected("tiny-causal").queries[0]

        let scheduler = EngineScheduler()
        let background = Mutex<[[Float]]>([])
        let done = DispatchSemaphore(value: 0)
        let queryVector = try scheduler.interactive { () throws -> [Float] in
            // The background job starts while this interactive job runs, so it must pause at its first layer.
            DispatchQueue.global().async {
                let vectors = try? scheduler.background { gate in try embedder.embed(ids: batch, gate: gate) }
                background.withLock { $0 = vectors ?? [] }
                done.signal()
            }
            scheduler.waitUntilPaused(1)
            return try embedder.embed(ids: [query.ids])[0]
        }
        done.wait()
        #expect(Agreement.agrees(queryVector, query.embedding))
        #expect(background.withLock { $0 } == alone)
    }
}

extension EngineSchedulerTests {
    @Test("Given a rerank step of 3 s at a quarter share, when the indexer's time is owed, then it is 1 s; with no share or no step, nothing")
    func owedTime() {
        #expect(abs(EngineScheduler.owedBackgroundTime(after: 3, share: 0.25) - 1) < 1e-12)
        #expect(EngineScheduler.owedBackgroundTime(after: 3, share: 0) == 0)
        #expect(EngineScheduler.owedBackgroundTime(after: 0, share: 0.25) == 0)
        #expect(EngineScheduler.backgroundShareDuringRerank == 0.25)
    }

    @Test("Given no background work, when a rerank pass shares, then it goes on at once; given background work paused by it, then the background steps before the pass goes on")
    func shareLetsTheBackgroundStep() throws {
        let scheduler = EngineScheduler()
        #expect(scheduler.shareWithBackground(after: 60) == 0, "nothing to wait for")

        let stop = Atomic<Bool>(false)
        let started = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            scheduler.background { gate in
                var signalled = false
                while !stop.load(ordering: .sequentiallyConsistent) {
                    gate.checkpoint()
                    if !signalled { started.signal(); signalled = true }
                }
            }
            finished.signal()
        }
        started.wait()
        // Three rerank steps back to back, each holding the engine: between them the background must step.
        for _ in 0..<3 {
            scheduler.interactive { scheduler.waitUntilPaused(1) }
            #expect(scheduler.shareWithBackground(after: 0.003) >= 1)
        }
        stop.store(true, ordering: .sequentiallyConsistent)
        finished.wait()
    }
}
