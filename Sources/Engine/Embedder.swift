import Foundation
import Tokenizers

/// Turns texts into Qwen3-Embedding vectors: the last token's final hidden state, L2-normalised.
///
/// Documents are embedded as they are; queries as `Instruct: {instruction}\nQuery:{query}`.
/// Every input ends with exactly one `<|endoftext|>`, whether or not the tokenizer's post-processor
/// appends it.
package struct Embedder: Sendable {
    package let model: Qwen3Model
    package let tokenizer: Tokenizer
    /// Longer inputs keep their first `maximumTokens - 1` tokens and the final `<|endoftext|>`.
    package var maximumTokens: Int
    package let endOfTextId: Int

    package static let defaultMaximumTokens = 8192
    static let endOfTextToken = "<|endoftext|>"

    package init(model: Qwen3Model, tokenizer: Tokenizer, maximumTokens: Int = Embedder.defaultMaximumTokens) {
        self.model = model
        self.tokenizer = tokenizer
        self.maximumTokens = max(2, maximumTokens)
        // Qwen's <|endoftext|> is 151643 in every Qwen2/Qwen3 vocabulary.
        endOfTextId = tokenizer.tokenId(for: Self.endOfTextToken) ?? 151643
    }

    /// Loads the model and tokenizer of a Hugging Face model folder.
    package init(folder: String, precision: Precision = .exact, conversion: WeightConversion = .automatic, maximumTokens: Int = Embedder.defaultMaximumTokens) throws {
        let model = try Qwen3Model(folder: folder, precision: precision, conversion: conversion)
        let tokenizer = try Tokenizer(contentsOf: folder + "/tokenizer.json")
        self.init(model: model, tokenizer: tokenizer, maximumTokens: maximumTokens)
    }

    /// The prompt of a query, exactly as the Qwen3-Embedding model card builds it (no space after `Query:`).
    package static func queryText(instruction: String, query: String) -> String {
        "Instruct: \(instruction)\nQuery:\(query)"
    }

    /// The token ids the model sees for `text`: the tokenizer's template, then one `<|endoftext|>`, truncated.
    package func inputIds(_ text: String) -> [Int] {
        var ids = tokenizer.encode(text, addSpecialTokens: true)
        if ids.last != endOfTextId { ids.append(endOfTextId) }
        while ids.count >= 2 && ids[ids.count - 2] == endOfTextId && ids[ids.count - 1] == endOfTextId {
            ids.removeLast()
        }
        if ids.count > maximumTokens {
            ids.removeSubrange((maximumTokens - 1)...)
            ids.append(endOfTextId)
        }
        return ids
    }

    /// Full-dimension embeddings of token id lists (each already ending in `<|endoftext|>`).
    /// With a `gate` the pass is background work that gives way to interactive work between layers.
    package func embed(ids batch: [[Int]], gate: BackgroundGate? = nil) throws(EngineError) -> [[Float]] {
        try model.lastHiddenStates(batch, gate: gate).map { Self.normalized($0, dimensions: nil) }
    }

    /// Embeddings of documents, truncated to `dimensions` (MRL) and re-normalised when given.
    package func embedDocuments(_ texts: [String], dimensions: Int? = nil) throws(EngineError) -> [[Float]] {
        try embed(ids: texts.map(inputIds)).map { Self.normalized($0, dimensions: dimensions) }
    }

    /// Embeddings of queries with an instruction, truncated to `dimensions` when given.
    package func embedQueries(_ queries: [String], instruction: String, dimensions: Int? = nil) throws(EngineError) -> [[Float]] {
        let texts = queries.map { Self.queryText(instruction: instruction, query: $0) }
        return try embedDocuments(texts, dimensions: dimensions)
    }

    /// The first `dimensions` values (all when nil), L2-normalised. MRL: stored full vectors are cut
    /// and re-normalised, so a smaller dimension never needs re-embedding.
    package static func normalized(_ vector: [Float], dimensions: Int?) -> [Float] {
        let count = min(dimensions ?? vector.count, vector.count)
        var sumOfSquares: Double = 0
        for index in 0..<count { sumOfSquares += Double(vector[index]) * Double(vector[index]) }
        // torch.nn.functional.normalize divides by max(norm, 1e-12).
        let norm = max(sumOfSquares.squareRoot(), 1e-12)
        return (0..<count).map { Float(Double(vector[$0]) / norm) }
    }
}
