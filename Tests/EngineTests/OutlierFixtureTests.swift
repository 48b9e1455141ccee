import Foundation
import Testing
@testable import Engine

/// Every precision on checkpoints with massive activations (Tests/Fixtures/models/make_outlier_fixtures.py):
/// exact keeps parity; fast and int8 must be at least as close to the fp32 reference as transformers' own
/// bf16 is on the same checkpoint (the figures the generator measured and stored in expected.json).
@Suite("Outlier fixtures")
struct OutlierFixtureTests {
    static func model(_ name: String, _ precision: Precision, kernel: FastKernel = .automatic) throws -> Qwen3Model {
        try Qwen3Model(folder: ModelFixtures.folder(name), precision: precision, weightTileFloats: 1 << 20, fastKernel: kernel)
    }

    static let tokenizer = ModelFixtures.embedders["tiny-embedding"].map(\.tokenizer)

    @Test("Given an outlier checkpoint, when embedded and scored in exact precision, then ids, vectors and scores match transformers fp32",
          arguments: ModelFixtures.outlierNames)
    func exactParity(model name: String) throws {
        let tokenizer = try #require(Self.tokenizer)
        let expected = try ModelFixtures.expected(name)
        let embedder = Embedder(model: try Self.model(name, .exact), tokenizer: tokenizer)
        for document in expected.documents {
            #expect(embedder.inputIds(document.text) == document.ids)
            let embedding = try embedder.embed(ids: [document.ids])[0]
            #expect(Agreement.agrees(embedding, document.embedding), "\(name): cosine \(Agreement.cosine(embedding, document.embedding))")
        }
        let reranker = try Reranker(model: try Self.model(name, .exact), tokenizer: tokenizer)
        #expect(try Agreement.worstRerankDifference(reranker, against: expected) <= 1e-4)
    }

    @Test("Given an outlier checkpoint, when run in fast precision on each kernel, then it is at least as close to fp32 as transformers bf16",
          arguments: ModelFixtures.outlierNames, FastKernel.available)
    func fastMeetsBfloat16(model name: String, kernel: FastKernel) throws {
        let (worstCosine, worstRerank) = try Self.worstDifferences(name, .fast, kernel: kernel)
        let expected = try ModelFixtures.expected(name)
        let cosineBound = try #require(expected.bfloat16WorstCosine)
        let rerankBound = try #require(expected.bfloat16WorstRerank)
        #expect(worstCosine >= cosineBound, "\(name) \(kernel): worst cosine \(worstCosine), transformers bf16 \(cosineBound)")
        #expect(worstRerank <= rerankBound, "\(name) \(kernel): worst rerank difference \(worstRerank), transformers bf16 \(rerankBound)")
    }

    /// int8 with outlier columns in fp32 (LLM.int8()-style): measured, not yet at bf16 level on x10 and x30,
    /// where its per-row int8 *weights* alone already miss it (with every activation in fp32: cosine 0.9980
    /// and 0.968 against bf16's 0.99957 and 0.974). Hence int8 is no model's default. The bounds are the
    /// measured figures with a little room; per-token int8 without the split measured 0.9944 / 0.837 / 0.9984
    /// cosine and 0.0031 / 0.029 / 0.285 rerank, so each bound on x30 and x100 fails without it.
    @Test("Given an outlier checkpoint, when run in int8 with outlier columns in fp32, then it stays within its measured bounds",
          arguments: [("outlier-x10", 0.998, Float(0.005)), ("outlier-x30", 0.94, Float(0.015)), ("outlier-x100", 0.9993, Float(0.16))],
          Int8PrecisionTests.kernels)
    func int8WithinMeasuredBounds(model: (name: String, cosine: Double, rerank: Float), kernel: FastKernel) throws {
        let (worstCosine, worstRerank) = try Self.worstDifferences(model.name, .int8, kernel: kernel)
        #expect(worstCosine >= model.cosine, "\(model.name) \(kernel): worst cosine \(worstCosine)")
        #expect(worstRerank <= model.rerank, "\(model.name) \(kernel): worst rerank difference \(worstRerank)")
    }

    /// The worst embedding cosine and rerank difference against the fp32 reference.
    static func worstDifferences(_ name: String, _ precision: Precision, kernel: FastKernel) throws -> (Double, Float) {
        let tokenizer = try #require(Self.tokenizer)
        let expected = try ModelFixtures.expected(name)
        let embedder = Embedder(model: try Self.model(name, precision, kernel: kernel), tokenizer: tokenizer)
        let worstCosine = try Agreement.worstCosine(embedder, against: expected)
        let reranker = try Reranker(model: try Self.model(name, precision, kernel: kernel), tokenizer: tokenizer)
        let worstRerank = try Agreement.worstRerankDifference(reranker, against: expected)
        print("outlier \(name) \(precision) \(kernel): cosine \(worstCosine), rerank \(worstRerank)")
        return (worstCosine, worstRerank)
    }
}
