import Foundation
import Testing
@testable import Engine

/// The int8 precision (int8 weights per output row, int8 activations per token, VNNI integer dot
/// products) against exact. Its embedding agreement is looser than fast's (never their default); its
/// rerank scores are held to fast's 0.01, which makes it the reranker's default where VNNI runs it.
/// The embedding bound is what it measures on the fixtures, with a little room.
@Suite("Int8 precision agreement")
struct Int8PrecisionTests {
    /// Every int8 kernel this CPU runs: VNNI (as `.automatic`), AVX2, portable. The others are skipped and named.
    static let kernels: [FastKernel] = {
        var kernels: [FastKernel] = []
        if Precision.int8IsAccelerated { kernels.append(.automatic) } else { print("int8 tests: no AVX512-VNNI here, its kernel is skipped") }
        if FastKernel.available.contains(.avx2) { kernels.append(.avx2) } else { print("int8 tests: no AVX2 here, its kernel is skipped") }
        return kernels + [.portable]
    }()

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

    @Test("Given the same inputs, when run on the AVX2 and portable kernels, then the outputs are identical to the bit")
    func avx2MatchesPortableExactly() throws {
        guard FastKernel.available.contains(.avx2) else { return }
        for name in ["tiny-causal", "outlier-x100"] {
            let ids = try ModelFixtures.expected(name).documents.suffix(3).map(\.ids)
            let avx2 = try Self.model(name, kernel: .avx2).lastHiddenStates(ids)
            let portable = try Self.model(name, kernel: .portable).lastHiddenStates(ids)
            #expect(avx2 == portable, "\(name): the AVX2 and portable integer products differ")
        }
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
