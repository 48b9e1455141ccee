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
        if Precision.int8HasAVXVNNI { kernels.append(.avxVNNI) } else { print("int8 tests: no AVX-VNNI here, its kernel is skipped") }
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

    @Test("Given the same inputs, when run on the AVX-VNNI and portable kernels, then the outputs are identical to the bit",
          .enabled(if: Precision.int8HasAVXVNNI))
    func avxVNNIMatchesPortableExactly() throws {
        for name in ["tiny-causal", "outlier-x100"] {
            let ids = try ModelFixtures.expected(name).documents.suffix(3).map(\.ids)
            let vnni = try Self.model(name, kernel: .avxVNNI).lastHiddenStates(ids)
            let portable = try Self.model(name, kernel: .portable).lastHiddenStates(ids)
            #expect(vnni == portable, "\(name): the AVX-VNNI and portable integer products differ")
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

/// The int8 product on its own, at shapes the fixture models do not reach: many row blocks, partial panels,
/// an outlier column.
@Suite("Int8 GEMM")
struct Int8GEMMTests {
    @Test("Given 1,000 rows of 1,030 values against a 70-row weight, when multiplied on the AVX2 and portable kernels, then the outputs are identical to the bit and each row within cosine 0.9999 of fp32")
    func largeProductsAgree() throws {
        guard FastKernel.available.contains(.avx2) else {
            print("int8 GEMM test: no AVX2 here, its kernel is skipped")
            return
        }
        let (rows, columns, outputs) = (1_000, 1_030, 70)
        var generator = SplitMix64(seed: 42)
        let weights = (0..<outputs * columns).map { _ in Float(generator.nextUnitInterval() * 2 - 1) }
        var input = (0..<rows * columns).map { _ in Float(generator.nextUnitInterval() * 2 - 1) }
        for row in 0..<rows { input[row * columns + 7] *= 50 }  // a massive-activation column
        let folder = NSTemporaryDirectory() + "qwery-int8-gemm-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bytes = weights.withUnsafeBufferPointer { Data(buffer: $0) }
        try SafetensorsWriter().fileContents([.init(name: "w", dataType: .float32, shape: [outputs, columns], bytes: bytes)])
            .write(to: URL(fileURLWithPath: folder + "/model.safetensors"))
        let weight = QuantizedWeight(try #require(try Checkpoint(folder: folder).tensor("w")))

        func product(_ kernel: FastKernel) -> [Float] {
            var output = [Float](repeating: 0, count: rows * outputs)
            var scratch = [UInt8](repeating: 0, count: rows * ((columns + 3) & ~3))
            input.withUnsafeBufferPointer { source in
                output.withUnsafeMutableBufferPointer { target in
                    scratch.withUnsafeMutableBufferPointer { bytes in
                        Int8GEMM.linear(source.baseAddress!, rows: rows, inputWidth: columns, weight: weight, output: target.baseAddress!,
                                        scratch: bytes.baseAddress!, kernel: kernel, workers: 2)
                    }
                }
            }
            return output
        }
        let avx2 = product(.avx2)
        let portable = product(.portable)

        #expect(avx2 == portable)
        if Precision.int8HasAVXVNNI {
            #expect(product(.avxVNNI) == portable, "AVX-VNNI and portable identical to the bit")
        } else {
            print("int8 GEMM test: no AVX-VNNI here, its kernel is skipped")
        }
        var worst = 1.0
        for row in stride(from: 0, to: rows, by: 97) {
            var dot = 0.0, exactNorm = 0.0, int8Norm = 0.0
            for output in 0..<outputs {
                var exact = 0.0
                for column in 0..<columns { exact += Double(input[row * columns + column]) * Double(weights[output * columns + column]) }
                let value = Double(avx2[row * outputs + output])
                dot += exact * value
                exactNorm += exact * exact
                int8Norm += value * value
            }
            worst = min(worst, dot / (exactNorm.squareRoot() * int8Norm.squareRoot()))
        }
        #expect(worst > 0.9999, "worst cosine of a row against fp32: \(worst)")
    }
}
