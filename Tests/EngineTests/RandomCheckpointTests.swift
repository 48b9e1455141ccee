import Foundation
import Testing
@testable import Engine

/// The benchmark checkpoint writer: its header comes from SafetensorsWriter, its data is streamed.
@Suite("Random checkpoints")
struct RandomCheckpointTests {
    static let shape = ModelShape(name: "tiny-random", vocabularySize: 151_669, hiddenSize: 32, intermediateSize: 64, layerCount: 1,
                                  attentionHeadCount: 2, keyValueHeadCount: 1, headDimension: 16, tiesWordEmbeddings: true)

    @Test("Given a small shape, when a random checkpoint is written twice with one seed, then the files are identical and the engine loads and runs it")
    func writesLoadableCheckpoint() throws {
        let base = NSTemporaryDirectory() + "qwery-random-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: base) }
        let tokenizer = ModelFixtures.root + "/tokenizer/qwen3-tokenizer.json"

        try RandomCheckpoint.write(shape: Self.shape, to: base + "/a", tokenizer: tokenizer, seed: 7)
        try RandomCheckpoint.write(shape: Self.shape, to: base + "/b", tokenizer: tokenizer, seed: 7)
        let first = try Data(contentsOf: URL(fileURLWithPath: base + "/a/model.safetensors"))
        let second = try Data(contentsOf: URL(fileURLWithPath: base + "/b/model.safetensors"))
        let embedder = try Embedder(folder: base + "/a", precision: .exact)
        let vector = try embedder.embed(ids: [embedder.inputIds("a random checkpoint")])[0]

        #expect(first == second)
        let dataBytes = Self.shape.tensors.reduce(0) { $0 + $1.shape.reduce(1, *) * 2 }
        let headerLength = first.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(first.count == 8 + headerLength + dataBytes)
        #expect(headerLength % 8 == 0)
        #expect(vector.count == 32)
        #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
    }
}
