import Foundation
import Tokenizers
@testable import Engine
import TestSupport

/// The tiny random-weight checkpoints and the reference outputs made by
/// Tests/Fixtures/models/make_model_fixtures.py with transformers.
enum ModelFixtures {
    static let root = Repository.fixtures

    static let names = ["tiny-embedding", "tiny-causal", "tiny-sharded"]
    static let rerankerNames = ["tiny-causal", "tiny-sharded"]
    /// Checkpoints with massive activations (make_outlier_fixtures.py): each is an embedding model and a reranker.
    static let outlierNames = ["outlier-x10", "outlier-x30", "outlier-x100"]

    static func folder(_ name: String) -> String { root + "/models/" + name }

    /// What the reference computed for one model.
    struct Expected {
        struct Document { let text: String; let ids: [Int]; let embedding: [Float] }
        struct Query { let instruction: String; let query: String; let ids: [Int]; let embedding: [Float] }
        struct Truncated { let document: Int; let dimensions: Int; let embedding: [Float] }
        struct Rerank { let instruction: String; let query: String; let document: String; let ids: [Int]; let score: Float }
        var documents: [Document] = []
        var queries: [Query] = []
        var mrl: [Truncated] = []
        var truncated: [(document: Int, maximumTokens: Int, ids: [Int], embedding: [Float])] = []
        var rerank: [Rerank] = []
        /// transformers' own bf16 against its fp32 on this checkpoint (outlier fixtures only).
        var bfloat16WorstCosine: Double?
        var bfloat16WorstRerank: Float?
    }

    static func expected(_ name: String) throws -> Expected {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder(name) + "/expected.json"))
        let json = try JSONParser.parse([UInt8](data))
        func ints(_ value: JSONValue?) -> [Int] { value?.arrayValue?.compactMap(\.intValue) ?? [] }
        func floats(_ value: JSONValue?) -> [Float] { value?.arrayValue?.compactMap { $0.doubleValue.map(Float.init) } ?? [] }
        var expected = Expected()
        for entry in json["documents"]?.arrayValue ?? [] {
            expected.documents.append(.init(text: entry["text"]?.stringValue ?? "", ids: ints(entry["ids"]), embedding: floats(entry["embedding"])))
        }
        for entry in json["queries"]?.arrayValue ?? [] {
            expected.queries.append(.init(instruction: entry["instruction"]?.stringValue ?? "", query: entry["query"]?.stringValue ?? "",
                                          ids: ints(entry["ids"]), embedding: floats(entry["embedding"])))
        }
        for entry in json["mrl"]?.arrayValue ?? [] {
            expected.mrl.append(.init(document: entry["document"]?.intValue ?? -1, dimensions: entry["dimensions"]?.intValue ?? -1,
                                      embedding: floats(entry["embedding"])))
        }
        for entry in json["truncated"]?.arrayValue ?? [] {
            expected.truncated.append((entry["document"]?.intValue ?? -1, entry["max_tokens"]?.intValue ?? -1,
                                       ints(entry["ids"]), floats(entry["embedding"])))
        }
        for entry in json["rerank"]?.arrayValue ?? [] {
            expected.rerank.append(.init(instruction: entry["instruction"]?.stringValue ?? "", query: entry["query"]?.stringValue ?? "",
                                         document: entry["document"]?.stringValue ?? "", ids: ints(entry["ids"]),
                                         score: Float(entry["score"]?.doubleValue ?? -1)))
        }
        expected.bfloat16WorstCosine = json["transformers_bf16"]?["worst_cosine"]?.doubleValue
        expected.bfloat16WorstRerank = json["transformers_bf16"]?["worst_rerank"]?.doubleValue.map(Float.init)
        return expected
    }

    /// Loaded once per model and shared by the tests.
    static let embedders: [String: Embedder] = {
        var embedders: [String: Embedder] = [:]
        for name in names {
            do { embedders[name] = try Embedder(folder: folder(name), precision: .exact) } catch { fatalError("\(name): \(error)") }
        }
        return embedders
    }()
}

/// Agreement measures used by the parity tests.
enum Agreement {
    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, normA = 0.0, normB = 0.0
        for index in a.indices {
            dot += Double(a[index]) * Double(b[index])
            normA += Double(a[index]) * Double(a[index])
            normB += Double(b[index]) * Double(b[index])
        }
        return dot / (normA.squareRoot() * normB.squareRoot())
    }

    /// The lowest cosine between `embedder`'s vectors and the reference, over every fixture document and query.
    static func worstCosine(_ embedder: Embedder, against expected: ModelFixtures.Expected) throws -> Double {
        var worst = 1.0
        for (ids, reference) in expected.documents.map({ ($0.ids, $0.embedding) }) + expected.queries.map({ ($0.ids, $0.embedding) }) {
            worst = min(worst, cosine(try embedder.embed(ids: [ids])[0], reference))
        }
        return worst
    }

    /// The largest |score − reference| of `reranker` over every fixture rerank prompt.
    static func worstRerankDifference(_ reranker: Reranker, against expected: ModelFixtures.Expected) throws -> Float {
        var worst: Float = 0
        for pair in expected.rerank {
            worst = max(worst, abs(try reranker.scores(promptIds: [pair.ids])[0] - pair.score))
        }
        return worst
    }

    static func maximumDifference(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
    }

    /// Whether two embeddings agree within the parity bounds (cosine ≥ 0.99999, max |Δ| ≤ 1e-4).
    static func agrees(_ actual: [Float], _ expected: [Float]) -> Bool {
        actual.count == expected.count && cosine(actual, expected) >= 0.99999 && maximumDifference(actual, expected) <= 1e-4
    }
}
