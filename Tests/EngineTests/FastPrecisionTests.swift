import Foundation
import Testing
@testable import Engine

/// The fast precision (bf16 activations into bf16 dot products, fp32 accumulation) against exact,
/// on every kernel this CPU can run (AVX512-BF16, AVX2, portable).
@Suite("Fast precision agreement")
struct FastPrecisionTests {
    static let kernels = FastKernel.available

    @Test("Given the fixture texts, when embedded in fast precision, then cosine with exact is at least 0.9999",
          arguments: ModelFixtures.names, FastPrecisionTests.kernels)
    func embeddingsAgree(model name: String, kernel: FastKernel) throws {
        let exact = try #require(ModelFixtures.embedders[name])
        let fastModel = try Qwen3Model(folder: ModelFixtures.folder(name), precision: .fast, weightTileFloats: 1 << 20, fastKernel: kernel)
        let fast = Embedder(model: fastModel, tokenizer: exact.tokenizer)
        let worst = try Agreement.worstCosine(fast, against: ModelFixtures.expected(name))
        #expect(worst >= 0.9999, "\(name) \(kernel): worst cosine \(worst)")
    }

    @Test("Given the rerank fixtures, when scored in fast precision, then scores are within 0.01 of exact",
          arguments: ModelFixtures.rerankerNames, FastPrecisionTests.kernels)
    func rerankAgrees(model name: String, kernel: FastKernel) throws {
        let exact = try #require(ModelFixtures.embedders[name])
        let fastModel = try Qwen3Model(folder: ModelFixtures.folder(name), precision: .fast, weightTileFloats: 1 << 20, fastKernel: kernel)
        let reranker = try Reranker(model: fastModel, tokenizer: exact.tokenizer)
        let worst = try Agreement.worstRerankDifference(reranker, against: ModelFixtures.expected(name))
        #expect(worst <= 0.01, "\(name) \(kernel): worst rerank difference \(worst)")
    }

    @Test("Given the same inputs, when run on each kernel, then AVX512-BF16, AVX2 and portable agree closely")
    func kernelsAgree() throws {
        let ids = try ModelFixtures.expected("tiny-causal").documents[23].ids
        var vectors: [[Float]] = []
        for kernel in Self.kernels {
            let model = try Qwen3Model(folder: ModelFixtures.folder("tiny-causal"), precision: .fast, weightTileFloats: 1 << 20, fastKernel: kernel)
            vectors.append(try model.lastHiddenStates([ids])[0])
        }
        for vector in vectors.dropFirst() {
            #expect(Agreement.cosine(vector, vectors[0]) >= 0.99999)
        }
    }
}
