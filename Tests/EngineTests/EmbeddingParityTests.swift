import Foundation
import Testing
@testable import Engine

/// Embeddings of the tiny checkpoints must match transformers' Qwen3 in fp32.
@Suite("Embedding parity with transformers")
struct EmbeddingParityTests {
    @Test("Given a fixture model, when embedding documents one at a time, then ids and vectors match the reference", arguments: ModelFixtures.names)
    func documents(model name: String) throws {
        let embedder = try #require(ModelFixtures.embedders[name])
        let expected = try ModelFixtures.expected(name)
        #expect(expected.documents.count >= 25)
        #expect(expected.documents.contains { $0.ids.count > 2000 })
        for document in expected.documents {
            let ids = embedder.inputIds(document.text)
            #expect(ids == document.ids, "ids of \(document.text.prefix(40).debugDescription)")
            let embedding = try embedder.embed(ids: [ids])[0]
            #expect(Agreement.agrees(embedding, document.embedding),
                    "\(name) \(document.text.prefix(40).debugDescription): cosine \(Agreement.cosine(embedding, document.embedding)), max diff \(Agreement.maximumDifference(embedding, document.embedding))")
        }
    }

    @Test("Given a fixture model, when embedding queries with instructions, then prompts and vectors match", arguments: ModelFixtures.names)
    func queries(model name: String) throws {
        let embedder = try #require(ModelFixtures.embedders[name])
        for query in try ModelFixtures.expected(name).queries {
            let text = Embedder.queryText(instruction: query.instruction, query: query.query)
            #expect(embedder.inputIds(text) == query.ids)
            let embedding = try embedder.embedQueries([query.query], instruction: query.instruction)[0]
            #expect(Agreement.agrees(embedding, query.embedding), "\(name) query \(query.query.debugDescription)")
        }
    }

    @Test("Given MRL dimensions, when embedding, then the cut and re-normalised vector matches", arguments: ModelFixtures.names)
    func matryoshkaDimensions(model name: String) throws {
        let embedder = try #require(ModelFixtures.embedders[name])
        let expected = try ModelFixtures.expected(name)
        #expect(expected.mrl.count >= 8)
        for entry in expected.mrl {
            let text = expected.documents[entry.document].text
            let embedding = try embedder.embedDocuments([text], dimensions: entry.dimensions)[0]
            #expect(embedding.count == entry.dimensions)
            #expect(Agreement.agrees(embedding, entry.embedding), "\(name) d=\(entry.dimensions)")
            let full = try embedder.embedDocuments([text])[0]
            #expect(Agreement.maximumDifference(Embedder.normalized(full, dimensions: entry.dimensions), embedding) <= 1e-6)
        }
    }

    @Test("Given a token limit, when an input is longer, then it keeps its head and the final <|endoftext|>", arguments: ModelFixtures.names)
    func truncation(model name: String) throws {
        var embedder = try #require(ModelFixtures.embedders[name])
        let expected = try ModelFixtures.expected(name)
        for entry in expected.truncated {
            embedder.maximumTokens = entry.maximumTokens
            let ids = embedder.inputIds(expected.documents[entry.document].text)
            #expect(ids == entry.ids)
            #expect(ids.count == entry.maximumTokens && ids.last == 151643)
            #expect(Agreement.agrees(try embedder.embed(ids: [ids])[0], entry.embedding))
        }
    }

    @Test("Given texts of different lengths, when embedded as one batch, then each equals its single-text embedding", arguments: ModelFixtures.names)
    func batchEqualsSingle(model name: String) throws {
        let embedder = try #require(ModelFixtures.embedders[name])
        let texts = try ModelFixtures.expected(name).documents.prefix(12).map(\.text)
        let batched = try embedder.embedDocuments(texts)
        for (index, text) in texts.enumerated() {
            let single = try embedder.embedDocuments([text])[0]
            #expect(Agreement.maximumDifference(batched[index], single) <= 1e-6)
        }
    }
}

/// Weights converted tile by tile during the pass (as for 4B/8B) must give the same numbers.
@Suite("On-the-fly weight conversion")
struct OnTheFlyConversionTests {
    @Test("Given weights kept in bf16 and converted in small tiles, when embedding and reranking, then results match the reference", arguments: ModelFixtures.rerankerNames)
    func tilesMatchReference(model name: String) throws {
        let model = try Qwen3Model(folder: ModelFixtures.folder(name), conversion: .onTheFly, weightTileFloats: 100)
        #expect(!model.weights.convertedAtLoad)
        let tokenizer = try #require(ModelFixtures.embedders[name]).tokenizer
        let embedder = Embedder(model: model, tokenizer: tokenizer)
        let expected = try ModelFixtures.expected(name)
        for document in expected.documents.prefix(8) {
            #expect(Agreement.agrees(try embedder.embed(ids: [document.ids])[0], document.embedding))
        }
        let reranker = try Reranker(model: model, tokenizer: tokenizer)
        for pair in expected.rerank.prefix(3) {
            #expect(abs(try reranker.scores(promptIds: [pair.ids])[0] - pair.score) <= 1e-4)
        }
    }
}
