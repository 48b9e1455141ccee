import Engine
import Foundation
import Search
import Synchronization

/// The "while indexing" section of `qwery bench`: what a person typing feels while the indexer embeds,
/// with both models behind one `EngineScheduler` as in the search screen.
extension BenchRunner {
    /// Indexing throughput through the scheduler with nobody typing, then query latency and the rerank pass's
    /// first score while a background job embeds batches of 16 × 256 tokens without pause.
    func measureWhileIndexing(embedder: Embedder, reranker: Reranker, candidates: [SearchResult], into report: inout Report) throws {
        let scheduler = EngineScheduler()
        let batch = Self.documents(count: 16, length: 256)

        var gatedRates: [Double] = []
        let stepsBefore = scheduler.backgroundStepCount
        for _ in 0..<repeats {
            let start = Date()
            for _ in 0..<4 { _ = try scheduler.background { gate in try embedder.embed(ids: batch, gate: gate) } }
            gatedRates.append(Double(4 * 16 * 256) / Date().timeIntervalSince(start))
        }
        // Layers (checkpoints) per token: the indexer's progress inside a batch, which a rerank pass may not outlast.
        let tokensPerStep = Double(repeats * 4 * 16 * 256) / Double(max(1, scheduler.backgroundStepCount - stepsBefore))
        report.figures.append(Figure(name: "while indexing: indexer alone, 64 x 256", unit: "tokens/s",
                                     values: [("min", gatedRates.min() ?? 0), ("median", Self.median(gatedRates))]))

        let stop = Atomic<Bool>(false)
        let indexed = Atomic<Int>(0)
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            while !stop.load(ordering: .relaxed) {
                _ = try? scheduler.background { gate in try embedder.embed(ids: batch, gate: gate) }
                indexed.add(16 * 256, ordering: .relaxed)
            }
            finished.signal()
        }
        defer {
            stop.store(true, ordering: .relaxed)
            finished.wait()
        }
        // A person types: a query now and then, never back to back.
        let query = Self.documents(count: 1, length: 16)
        var latencies: [Double] = []
        for _ in 0..<max(10, repeats * 5) {
            usleep(150_000)
            let start = Date()
            _ = try scheduler.interactive { try embedder.embed(ids: query) }
            latencies.append(Date().timeIntervalSince(start) * 1000)
        }
        latencies.sort()
        report.figures.append(Figure(name: "while indexing: query latency (16 tokens)", unit: "ms",
                                     values: [("p50", Self.percentile(latencies, 0.5)), ("p95", Self.percentile(latencies, 0.95))]))

        var firstTimes: [Double] = []
        var passTimes: [Double] = []
        var passRates: [Double] = []
        for repeat_ in 0..<repeats {
            usleep(300_000)
            let pass = RerankPass(reranker: reranker, modelIdentity: "bench", scheduler: scheduler)
            let start = Date()
            let stepsAtStart = scheduler.backgroundStepCount
            var first: Double?
            try pass.run(query: "what did we decide about the budget? \(repeat_)", instruction: Reranker.defaultInstruction,
                         candidates: candidates) { _, _ in
                if first == nil { first = Date().timeIntervalSince(start) }
            }
            let seconds = Date().timeIntervalSince(start)
            firstTimes.append(first ?? 0)
            passTimes.append(seconds)
            passRates.append(Double(scheduler.backgroundStepCount - stepsAtStart) * tokensPerStep / seconds)
        }
        report.figures.append(Figure(name: "while indexing: rerank first score", unit: "s",
                                     values: [("min", firstTimes.min() ?? 0), ("median", Self.median(firstTimes))]))
        report.figures.append(Figure(name: "while indexing: whole rerank pass", unit: "s",
                                     values: [("min", passTimes.min() ?? 0), ("median", Self.median(passTimes))]))
        // Both sides of the share (EngineScheduler.backgroundShareDuringRerank): what the indexer kept meanwhile.
        let alone = Self.median(gatedRates)
        report.figures.append(Figure(name: "while indexing: indexer during rerank passes", unit: "tokens/s",
                                     values: [("median", Self.median(passRates)),
                                              ("% of alone", alone > 0 ? 100 * Self.median(passRates) / alone : 0)]))
    }
}
