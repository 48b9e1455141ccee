import Foundation
import Testing
import Tokenizers
@testable import Engine

/// Parity on a random-weight model of the exact Qwen3-Embedding-0.6B shape, when one is present.
///
/// Create it and its reference with `qwery bench --create-only` and
/// `Tests/Fixtures/models/reference_for_folder.py`, then set `QWERY_FULL_MODEL` to the folder.
@Suite("Full-size model parity", .enabled(if: FullSizeModel.folder != nil))
struct FullSizeModelTests {
    @Test("Given the 0.6B-shape model, when embedding the reference texts, then ids and vectors match transformers")
    func embeddingsMatch() throws {
        let folder = try #require(FullSizeModel.folder)
        let embedder = try Embedder(folder: folder, precision: .exact)
        let expected = try JSONParser.parse([UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/expected.json"))))
        let documents = try #require(expected["documents"]?.arrayValue)
        #expect(documents.count >= 5)
        for document in documents {
            let text = try #require(document["text"]?.stringValue)
            let ids = embedder.inputIds(text)
            #expect(ids == document["ids"]?.arrayValue?.compactMap(\.intValue))
            let full = try embedder.embed(ids: [ids])[0]
            let reference = document["embedding"]?.arrayValue?.compactMap { $0.doubleValue.map(Float.init) } ?? []
            #expect(full.count == 1024)
            #expect(Agreement.agrees(full, reference), "cosine \(Agreement.cosine(full, reference)) max \(Agreement.maximumDifference(full, reference))")
            let reference256 = document["embedding_256"]?.arrayValue?.compactMap { $0.doubleValue.map(Float.init) } ?? []
            #expect(Agreement.agrees(Embedder.normalized(full, dimensions: 256), reference256))
        }
    }
}

extension FullSizeModelTests {
    @Test("Given the 0.6B-shape model in fast or int8 precision, when embedding the reference texts, then cosine with the reference is at least 0.9999 or 0.999",
          arguments: [(Precision.fast, 0.9999), (Precision.int8, 0.999)])
    func fastAgrees(precision: Precision, bound: Double) throws {
        let folder = try #require(FullSizeModel.folder)
        let embedder = try Embedder(folder: folder, precision: precision)
        let expected = try JSONParser.parse([UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/expected.json"))))
        for document in try #require(expected["documents"]?.arrayValue) {
            let ids = document["ids"]?.arrayValue?.compactMap(\.intValue) ?? []
            let reference = document["embedding"]?.arrayValue?.compactMap { $0.doubleValue.map(Float.init) } ?? []
            let cosine = Agreement.cosine(try embedder.embed(ids: [ids])[0], reference)
            #expect(cosine >= bound, "\(precision) cosine \(cosine)")
        }
    }
}

extension FullSizeModelTests {
    @Test("Given the 0.6B-shape model as a reranker, when scoring the reference prompts, then exact is within 1e-4 and fast and int8 within 0.01",
          arguments: [(Precision.exact, Float(1e-4)), (Precision.fast, Float(0.01)), (Precision.int8, Float(0.01))])
    func rerankAgrees(precision: Precision, bound: Float) throws {
        let folder = try #require(FullSizeModel.folder)
        let reranker = try Reranker(folder: folder, precision: precision)
        let expected = try JSONParser.parse([UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/expected.json"))))
        let pairs = try #require(expected["rerank"]?.arrayValue, "expected.json predates rerank references: run reference_for_folder.py again")
        #expect(pairs.count >= 4)
        for pair in pairs {
            let query = try #require(pair["query"]?.stringValue)
            let document = try #require(pair["document"]?.stringValue)
            let reference = try #require(pair["score"]?.doubleValue)
            let ids = reranker.promptIds(query: query, document: document)
            #expect(ids == pair["ids"]?.arrayValue?.compactMap(\.intValue))
            let score = try reranker.scores(promptIds: [ids])[0]
            #expect(abs(score - Float(reference)) <= bound, "\(precision): \(score) vs \(reference)")
            print("full-size rerank \(precision): \(score) vs \(reference), difference \(abs(score - Float(reference)))")
        }
    }
}

/// The folder named by `QWERY_FULL_MODEL`, when it holds a reference (expected.json).
enum FullSizeModel {
    static let folder: String? = {
        guard let folder = ProcessInfo.processInfo.environment["QWERY_FULL_MODEL"], !folder.isEmpty,
              FileManager.default.fileExists(atPath: folder + "/expected.json") else { return nil }
        return folder
    }()
}
