import Foundation
import Testing
@testable import Engine

/// The int8 precision (int8 weights per output row, int8 activations per token, VNNI integer dot
/// products) against exact. Its embedding agreement is looser than fast's (never their default); its
/// rerank scores are held to fast's 0.01, which makes it the reranker's default where VNNI runs it.
/// The embedding bound is what it measures on the fixtures, with a little room.
@Suite("Int8 precision agreement")
struct Int8PrecisionTests {
    static let kernels: [FastKernel] = Precision.int8IsAccelerated ? [.automatic, .portable] : [.portable]

    static func model(_ name: String, kernel: FastKernel) throws -> Qwen3Model {
        try Qwen3Model(folder: ModelFixtures.folder(name), precision: .int8, weightTileFloats: 1 << 20, fastKernel: kernel)
    }

    @Test("Given the fixture texts, when embedded in int8, then cosine with exact is at least 0.999",
          arguments: ModelFixtures.names, Int8PrecisionTests.kernels)
    func embeddingsAgree(model name: String, kernel: FastKernel) throws {
        let exact = try #require(ModelFixtures.embedders[name])
        let int8 = Embedder(model: try Self.model(name, kernel: kernel), tokenizer: exact.tokenizer)
        let worst = try Agreement.worstCosine(int8, against: ModelFixtures.expected(name))
        #expect(worst >= 0.999, "\(name) \(kernel): worst cosine \(worst)")
        #expect(worst < 0.999999, "\(name): int8 cannot be bit-exact; the int8 path did not run")
    }

    @Test("Given the rerank fixtures, when scored in int8, then scores are within 0.01 of exact",
          arguments: ModelFixtures.rerankerNames, Int8PrecisionTests.kernels)
    func rerankAgrees(model name: String, kernel: FastKernel) throws {
        let exact = try #require(ModelFixtures.embedders[name])
        let reranker = try Reranker(model: try Self.model(name, kernel: kernel), tokenizer: exact.tokenizer)
        let worst = try Agreement.worstRerankDifference(reranker, against: ModelFixtures.expected(name))
        #expect(worst <= 0.01, "\(name) \(kernel): worst rerank difference \(worst)")
    }

    @Test("Given the same inputs, when run on the VNNI and portable kernels, then the integer products agree")
    func kernelsAgree() throws {
        let ids = try ModelFixtures.expected("tiny-causal").documents[23].ids
        let vectors = try Self.kernels.map { try Self.model("tiny-causal", kernel: $0).lastHiddenStates([ids])[0] }
        for vector in vectors.dropFirst() {
            #expect(Agreement.cosine(vector, vectors[0]) >= 0.999999)
        }
    }
}
