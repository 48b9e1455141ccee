import Foundation
import Synchronization
import Testing
import Corpus
@testable import Search

/// The one pipeline every face runs (issue #22): updates in order, the final list as the faces print it.
@Suite("Search pipeline", .serialized)
struct SearchPipelineTests {
    static let pipeline: SearchPipeline = {
        do {
            return SearchPipeline(service: SampleCorpusIndex.service, rerankPass: try FusionAndRerankTests.pass())
        } catch { fatalError("\(error)") }
    }()

    @Test("Given a query, when the pipeline runs, then updates come lexical, semantic, one score per candidate, done — and done's list is what results() returns")
    func updatesInOrder() throws {
        var job = SearchJob(.text("sourdough starter"))
        job.rerankDepth = 5
        var kinds: [String] = []
        var scored = Set<Int64>()
        var final: [SearchResult] = []
        try Self.pipeline.run(job) { update in
            switch update {
            case .lexical(let results, _): kinds.append("lexical"); #expect(!results.isEmpty)
            case .semantic: kinds.append("semantic")
            case .score(let chunkId, _, let done, let total):
                kinds.append("score")
                scored.insert(chunkId)
                #expect(done == scored.count && total == 5)
            case .done(let results, let milliseconds):
                kinds.append("done")
                final = results
                #expect(milliseconds != nil)
            }
        }
        #expect(kinds == ["lexical", "semantic", "score", "score", "score", "score", "score", "done"])
        #expect(final.prefix(5).allSatisfy { $0.rerankScore != nil } && final.dropFirst(5).allSatisfy { $0.rerankScore == nil })
        let scores = final.prefix(5).compactMap(\.rerankScore)
        #expect(scores == scores.sorted(by: >), "the top is in rerank order")
        #expect(try Self.pipeline.results(job).map(\.chunkId) == final.map(\.chunkId), "the one-shot form is the same pipeline")
    }

    @Test("Given a query run with every stage at once, when its semantic hits are found beside the lexical stage, then the fused results equal the stage-by-stage ones, score for score")
    func overlappedSemanticStageEqualsSequential() throws {
        let service = SampleCorpusIndex.service
        for text in ["sourdough starter", "ext:md bread", "how long to proof dough", "lantern"] {
            let job = SearchJob(.text(text), rerank: false)
            let overlapped = try service.prepare(job.query, options: job.options, semantic: true)
            #expect(overlapped.semanticHits != nil, "\(text): the semantic work started with the lexical stage")
            let sequential = try service.prepare(job.query, options: job.options)
            #expect(sequential.semanticHits == nil)
            let together = try service.search(overlapped, options: job.options)
            let apart = try service.search(sequential, options: job.options)
            #expect(!together.isEmpty, "\(text)")
            #expect(together.map(\.chunkId) == apart.map(\.chunkId), "\(text)")
            #expect(together.map(\.fusedScore) == apart.map(\.fusedScore), "\(text)")
            #expect(together.map(\.vectorScore) == apart.map(\.vectorScore), "\(text)")
            #expect(together.contains { $0.vectorRank != nil }, "\(text): a semantic stage ran")
        }
    }

    @Test("Given a more-like-this job without reranking, when run, then its results come from stored vectors and leave the source out")
    func similarJob() throws {
        let path = SampleCorpusIndex.corpus + "/notes/recipes/sourdough.md"
        let results = try Self.pipeline.results(SearchJob(.similar(path: path, line: nil), rerank: false))
        #expect(!results.isEmpty)
        #expect(!results.contains { $0.path == path })
        #expect(results.allSatisfy { $0.rerankScore == nil })
    }

    @Test("Given a consumer that cancels after the first update, when run, then the pipeline ends without reaching done")
    func cancelledRunEnds() throws {
        var seen: [SearchUpdate] = []
        let updates = Atomic<Int>(0)
        try Self.pipeline.run(SearchJob(.text("bread")), isCancelled: { updates.load(ordering: .relaxed) > 0 }) { update in
            seen.append(update)
            updates.add(1, ordering: .relaxed)
        }
        guard case .lexical? = seen.first else {
            Issue.record("the first update is lexical")
            return
        }
        #expect(seen.count == 1)
    }
}
