import Foundation
import Tokenizers

/// Scores how well documents answer a query with a Qwen3-Reranker checkpoint: the probability of
/// "yes" against "no" as the next token of the model card's chat prompt.
package struct Reranker: Sendable {
    package let model: Qwen3Model
    package let tokenizer: Tokenizer
    /// Longer prompts lose the end of the instruction/query/document part; prefix and suffix stay.
    package var maximumTokens: Int
    let prefixIds: [Int]
    let suffixIds: [Int]
    let yesId: Int
    let noId: Int

    package static let defaultInstruction = "Given a web search query, retrieve relevant passages that answer the query"
    static let prefix = "<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct provided. Note that the answer can only be \"yes\" or \"no\".<|im_end|>\n<|im_start|>user\n"
    static let suffix = "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n"

    package init(model: Qwen3Model, tokenizer: Tokenizer, maximumTokens: Int = 8192) throws(EngineError) {
        guard model.hasLanguageModelHead else { throw .missingLanguageModelHead(folder: model.folder) }
        self.model = model
        self.tokenizer = tokenizer
        prefixIds = tokenizer.encode(Self.prefix)
        suffixIds = tokenizer.encode(Self.suffix)
        self.maximumTokens = max(maximumTokens, prefixIds.count + suffixIds.count + 1)
        // The model card's ids: "no" 2152 and "yes" 9693 in the Qwen3 vocabulary.
        yesId = tokenizer.tokenId(for: "yes") ?? 9693
        noId = tokenizer.tokenId(for: "no") ?? 2152
    }

    /// Loads the model and tokenizer of a Hugging Face model folder (by default in the reranker's
    /// precision for this CPU: int8 where AVX512-VNNI runs it).
    package init(folder: String, precision: Precision = .exact, conversion: WeightConversion = .automatic, maximumTokens: Int = 8192) throws {
        let model = try Qwen3Model(folder: folder, precision: precision, conversion: conversion)
        let tokenizer = try Tokenizer(contentsOf: folder + "/tokenizer.json")
        try self.init(model: model, tokenizer: tokenizer, maximumTokens: maximumTokens)
    }

    /// The prompt's token ids: prefix, `<Instruct>: …\n<Query>: …\n<Document>: …`, suffix.
    package func promptIds(query: String, document: String, instruction: String = Reranker.defaultInstruction) -> [Int] {
        var body = tokenizer.encode("<Instruct>: \(instruction)\n<Query>: \(query)\n<Document>: \(document)")
        let room = maximumTokens - prefixIds.count - suffixIds.count
        if body.count > room { body.removeSubrange(room...) }
        return prefixIds + body + suffixIds
    }

    /// The tokens every prompt for this query starts with: the system prefix, instruction and query.
    package func sharedPromptIds(query: String, instruction: String = Reranker.defaultInstruction) -> [Int] {
        prefixIds + tokenizer.encode("<Instruct>: \(instruction)\n<Query>: \(query)\n<Document>:")
    }

    /// Keys and values of the shared prompt start, computed once per query.
    package func prefixCache(query: String, instruction: String = Reranker.defaultInstruction) throws(EngineError) -> PrefixCache {
        try model.prefixCache(for: sharedPromptIds(query: query, instruction: instruction))
    }

    /// The score of a query's first prompt and the cache of the prompt start it shares with the
    /// query's other prompts, from one pass (the quickest way to a first score).
    package func scoreAndPrefixCache(
        promptIds prompt: [Int], query: String, instruction: String = Reranker.defaultInstruction,
        isCancelled: (@Sendable () -> Bool)? = nil
    ) throws(EngineError) -> (score: Float, cache: PrefixCache) {
        let shared = sharedPromptIds(query: query, instruction: instruction)
        var common = 0
        while common < min(shared.count, prompt.count - 1) && shared[common] == prompt[common] { common += 1 }
        let (hidden, cache) = try model.lastHiddenStateAndPrefix(prompt, prefixLength: common, isCancelled: isCancelled)
        return (try yesProbability(hidden), cache)
    }

    /// Relevance of each document to the query, in [0, 1]. The shared prompt start is computed once.
    package func scores(query: String, documents: [String], instruction: String = Reranker.defaultInstruction) throws(EngineError) -> [Float] {
        guard !documents.isEmpty else { return [] }
        let cache = try prefixCache(query: query, instruction: instruction)
        return try scores(promptIds: documents.map { promptIds(query: query, document: $0, instruction: instruction) }, cache: cache)
    }

    /// The score of one prompt, continuing `cache` where the prompt starts with its tokens.
    package func score(promptIds prompt: [Int], cache: PrefixCache?, isCancelled: (@Sendable () -> Bool)? = nil) throws(EngineError) -> Float {
        try scores(promptIds: [prompt], cache: cache, isCancelled: isCancelled)[0]
    }

    /// Scores of several prompts continuing `cache`; they run side by side on the cores.
    package func scores(promptIds prompts: [[Int]], cache: PrefixCache?, isCancelled: (@Sendable () -> Bool)? = nil) throws(EngineError) -> [Float] {
        var scores = [Float](repeating: 0, count: prompts.count)
        let groups = Dictionary(grouping: prompts.indices) { cache?.commonLength(with: prompts[$0]) ?? 0 }
        for (length, members) in groups.sorted(by: { $0.key < $1.key }) {
            let suffixes = members.map { Array(prompts[$0][length...]) }
            let hidden = try model.lastHiddenStates(suffixes, prefix: length > 0 ? cache : nil, prefixLength: length,
                                                    isCancelled: isCancelled)
            for (member, state) in zip(members, hidden) { scores[member] = try yesProbability(state) }
        }
        return scores
    }

    /// Relevance scores of ready-made prompts, computed in full.
    package func scores(promptIds: [[Int]]) throws(EngineError) -> [Float] {
        try model.lastHiddenStates(promptIds).map { hidden throws(EngineError) in try yesProbability(hidden) }
    }

    /// softmax([logit(no), logit(yes)])[yes] = 1 / (1 + exp(no − yes)).
    private func yesProbability(_ hidden: [Float]) throws(EngineError) -> Float {
        let logits = try model.logits(of: hidden, rows: [noId, yesId])
        return Float(1 / (1 + exp(Double(logits[0]) - Double(logits[1]))))
    }
}
