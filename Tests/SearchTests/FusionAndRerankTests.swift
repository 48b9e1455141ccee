import Corpus
import Synchronization
import Foundation
import Testing
import Engine
import Indexing
@testable import Search

/// Reciprocal rank fusion, per-file grouping, and the rerank pass.
@Suite("Fusion and reranking")
struct FusionAndRerankTests {
    @Test("Given two ranked lists, when fused, then scores are sums of 1/(60+rank) and ties keep first-seen order")
    func reciprocalRankFusion() {
        let fused = Fusion().fuse([[1, 2, 3], [3, 4]])
        #expect(fused.map(\.chunkId) == [3, 1, 2, 4])
        #expect(abs(fused[0].score - (1.0 / 63 + 1.0 / 61)) < 1e-12)
        #expect(abs(fused[1].score - 1.0 / 61) < 1e-12)
    }

    @Test("Given many results of one file, when grouped, then at most perFile stay in front")
    func grouping() {
        let paths = ["a", "a", "a", "a", "b", "a", "c"]
        #expect(Fusion(perFile: 2).grouped(Array(paths.indices), path: { paths[$0] }) == [0, 1, 4, 6, 2, 3, 5])
        #expect(Fusion(perFile: 0).grouped(Array(paths.indices), path: { paths[$0] }) == Array(paths.indices))
    }

    static func pass() throws -> RerankPass {
        let embedder = try Embedder(folder: SampleCorpusIndex.rerankerFolder)
        let reranker = try Reranker(model: embedder.model, tokenizer: embedder.tokenizer)
        return RerankPass(reranker: reranker, modelIdentity: try ModelIdentity.compute(folder: SampleCorpusIndex.rerankerFolder))
    }

    @Test("Given candidates, when reranked, then scores stream in order, are cached, and equal a direct computation")
    func rerankPass() throws {
        let pass = try Self.pass()
        let results = try SampleCorpusIndex.service.search("custard tarts", options: SearchService.Options())
        let candidates = Array(results.prefix(5))
        var streamed: [(Int, Float)] = []
        let first = try pass.run(query: "custard tarts", instruction: InstructionPreset.notes.instruction, candidates: candidates) {
            streamed.append(($0, $1))
        }
        #expect(first == RerankPass.Summary(computed: 5, cached: 0))
        #expect(streamed.map(\.0) == [0, 1, 2, 3, 4])
        let direct = try pass.reranker.scores(query: "custard tarts",
                                              documents: candidates.map { ChunkText.embeddingText(context: $0.context, text: $0.text) },
                                              instruction: InstructionPreset.notes.instruction)
        for ((_, score), expected) in zip(streamed, direct) { #expect(abs(score - expected) <= 1e-5) }
        let second = try pass.run(query: "custard tarts", instruction: InstructionPreset.notes.instruction, candidates: candidates) { _, _ in }
        #expect(second == RerankPass.Summary(computed: 0, cached: 5))
    }

    @Test("Given a pass cancelled after its first score, when running, then it stops with .cancelled")
    func cancelPass() throws {
        let pass = try Self.pass()
        let candidates = Array(try SampleCorpusIndex.service.search("journal river fog", options: SearchService.Options()).prefix(6))
        let cancelled = Cancellation()
        var scores = 0
        #expect(throws: EngineError.cancelled) {
            try pass.run(query: "journal river fog", instruction: "i", candidates: candidates, isCancelled: { cancelled.isSet }) { _, _ in
                scores += 1
                cancelled.set()
            }
        }
        #expect(scores == 1)
    }

    @Test("Given partial scores, when reordered, then scored results lead by score and the rest keep fused order")
    func reorder() throws {
        var results = Array(try SampleCorpusIndex.service.search("sourdough", options: SearchService.Options()).prefix(5))
        results[3].rerankScore = 0.9
        results[1].rerankScore = 0.2
        let reordered = RerankPass.reordered(results, depth: 4)
        #expect(reordered.map(\.fusedRank) == [4, 2, 1, 3, 5])
    }
}

/// A flag shared with a `@Sendable` cancellation check.
final class Cancellation: Sendable {
    private let flag = Atomic(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}
