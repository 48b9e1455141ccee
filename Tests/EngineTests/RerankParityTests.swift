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

/// The prefix cache and cancellation of the reranker.
@Suite("Reranker prefix cache")
struct RerankPrefixCacheTests {
    @Test("Given a cached prompt start, when each candidate continues it, then scores equal the full computation",
          arguments: ModelFixtures.rerankerNames, [Precision.exact, .fast])
    func cachedEqualsFull(model name: String, precision: Precision) throws {
        let embedder = try #require(ModelFixtures.embedders[name])
        let model = precision == .exact ? embedder.model : try Qwen3Model(folder: ModelFixtures.folder(name), precision: precision)
        let reranker = try Reranker(model: model, tokenizer: embedder.tokenizer)
        // The long one spans several attention blocks after the cached start.
        let documents = ["The capital of China is Beijing.", " leading space", "", "3.14 is pi", "Gravity makes apples fall.",
                         String(repeating: "Beijing has been the capital for centuries; ", count: 40)]
        let cache = try reranker.prefixCache(query: "what is the capital of China?")
        #expect(cache.ids.count > 60)
        let full = try reranker.scores(promptIds: documents.map { reranker.promptIds(query: "what is the capital of China?", document: $0) })
        for (document, expected) in zip(documents, full) {
            let prompt = reranker.promptIds(query: "what is the capital of China?", document: document)
            #expect(cache.commonLength(with: prompt) >= cache.ids.count - 1)
            let score = try reranker.score(promptIds: prompt, cache: cache)
            #expect(abs(score - expected) <= 1e-5, "\(precision): \(document.prefix(40).debugDescription)")
        }
        let batched = try reranker.scores(query: "what is the capital of China?", documents: documents)
        for (score, expected) in zip(batched, full) { #expect(abs(score - expected) <= 1e-5) }
    }

    @Test("Given the first prompt scored with its prompt start captured, when the others continue it, then scores equal the full computation",
          arguments: ModelFixtures.rerankerNames)
    func firstPromptCapturesPrefix(model name: String) throws {
        let embedder = try #require(ModelFixtures.embedders[name])
        let reranker = try Reranker(model: embedder.model, tokenizer: embedder.tokenizer)
        let query = "what is the capital of China?"
        let documents = ["The capital of China is Beijing.", " leading space", "", "Gravity makes apples fall."]
        let prompts = documents.map { reranker.promptIds(query: query, document: $0) }
        let full = try reranker.scores(promptIds: prompts)
        let (first, cache) = try reranker.scoreAndPrefixCache(promptIds: prompts[0], query: query)
        #expect(abs(first - full[0]) <= 1e-5)
        #expect(cache.ids == Array(prompts[0].prefix(cache.ids.count)))
        #expect(cache.ids.count >= reranker.sharedPromptIds(query: query).count - 1)
        for (prompt, expected) in zip(prompts.dropFirst(), full.dropFirst()) {
            #expect(abs(try reranker.score(promptIds: prompt, cache: cache) - expected) <= 1e-5)
        }
    }

    @Test("Given a cancelled flag, when scoring, then the pass stops with .cancelled")
    func cancellation() throws {
        let embedder = try #require(ModelFixtures.embedders["tiny-causal"])
        let reranker = try Reranker(model: embedder.model, tokenizer: embedder.tokenizer)
        let prompt = reranker.promptIds(query: "q", document: "d")
        #expect(throws: EngineError.cancelled) {
            try reranker.score(promptIds: prompt, cache: nil, isCancelled: { true })
        }
    }
}
