import Foundation
import Testing
@testable import Engine

/// Reranker scores of the tiny causal-LM checkpoints must match transformers' within 1e-4.
@Suite("Rerank parity with transformers")
struct RerankParityTests {
    @Test("Given query/document pairs, when scored, then prompt ids and yes-probabilities match the reference", arguments: ModelFixtures.rerankerNames)
    func scores(model name: String) throws {
        let embedder = try #require(ModelFixtures.embedders[name])
        let reranker = try Reranker(model: embedder.model, tokenizer: embedder.tokenizer)
        let expected = try ModelFixtures.expected(name).rerank
        #expect(expected.count >= 7)
        for pair in expected {
            #expect(reranker.promptIds(query: pair.query, document: pair.document, instruction: pair.instruction) == pair.ids)
            let score = try reranker.scores(query: pair.query, documents: [pair.document], instruction: pair.instruction)[0]
            #expect(abs(score - pair.score) <= 1e-4, "\(name) \(pair.query.debugDescription): \(score) vs \(pair.score)")
        }
        let batched = try reranker.scores(promptIds: expected.map(\.ids))
        for (score, pair) in zip(batched, expected) {
            #expect(abs(score - pair.score) <= 1e-4)
        }
    }

    @Test("Given a base embedding checkpoint without lm_head, when tied embeddings exist, then the reranker can still be built")
    func tiedHeadCounts() throws {
        let embedder = try #require(ModelFixtures.embedders["tiny-embedding"])
        #expect(embedder.model.hasLanguageModelHead)
    }
}
