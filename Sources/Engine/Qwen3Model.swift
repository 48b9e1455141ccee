import CBLAS
import CKernels
import Foundation
import Synchronization

/// A Qwen3 decoder (transformers' modeling_qwen3.py): fp32 on OpenBLAS in exact precision, bf16 or
/// int8 kernels in fast and int8 (see `Precision`).
///
/// Immutable after loading, so one instance serves concurrent callers; each forward pass owns its
/// scratch buffers.
package final class Qwen3Model: Sendable {
    package let folder: String
    package let configuration: Qwen3Configuration
    let weights: Qwen3Weights
    let rotary: RotaryEmbedding
    let weightTileFloats: Int
    package let precision: Precision
    let fastKernel: FastKernel
    let emulatesBFloat16: Bool

    /// An exact model that rounds like a bf16 one (see the designated initializer).
    convenience init(folder: String, precision: Precision, emulatesBFloat16: Bool) throws(EngineError) {
        try self.init(folder: folder, precision: precision, weightTileFloats: Kernels.weightTileFloatsPerWorker * Kernels.threads,
                      emulatesBFloat16: emulatesBFloat16)
    }

    /// Loads `config.json` and the safetensors weights of a Hugging Face model folder.
    package convenience init(folder: String, precision: Precision = .exact, conversion: WeightConversion = .automatic) throws(EngineError) {
        try self.init(folder: folder, precision: precision, conversion: conversion, weightTileFloats: Kernels.weightTileFloatsPerWorker * Kernels.threads)
    }

    /// `weightTileFloats`: size of the buffer weight tiles are converted into when not converted at load.
    /// `emulatesBFloat16`: exact, with every matrix product's inputs and outputs and the residual stream rounded
    /// to bf16 — the yardstick of fidelity calibration (a bf16 model in transformers rounds there).
    init(folder: String, precision: Precision = .exact, conversion: WeightConversion = .automatic, weightTileFloats: Int,
         fastKernel: FastKernel = .automatic, emulatesBFloat16: Bool = false) throws(EngineError) {
        // OpenBLAS single-threaded (our loops split the work), loaded and its core corrected before any product.
        try BLASCore.require()
        self.emulatesBFloat16 = emulatesBFloat16
        self.folder = folder
        self.precision = precision
        self.fastKernel = fastKernel
        self.weightTileFloats = weightTileFloats
        configuration = try Qwen3Configuration(contentsOf: folder + "/config.json")
        let checkpoint = try Checkpoint(folder: folder)
        weights = try Qwen3Weights(checkpoint: checkpoint, configuration: configuration, conversion: conversion, precision: precision)
        // Converted or packed weights no longer need their file pages in memory (the embedding table
        // pages back in row by row when used).
        if weights.convertedAtLoad { checkpoint.releaseResidentPages() }
        rotary = RotaryEmbedding(headDimension: configuration.headDimension, theta: configuration.ropeTheta)
    }

    /// Whether the checkpoint can produce next-token logits (needed by the reranker).
    package var hasLanguageModelHead: Bool { weights.languageModelHead != nil }

    /// The final-normed hidden state of the last token of each sequence, `hiddenSize` values each.
    /// Sequences of different lengths run in one batch and give the same result as one at a time.
    ///
    /// With `prefix`, each sequence continues the first `prefixLength` cached tokens (all by default);
    /// `isCancelled` is asked between layers and ends the pass with `.cancelled`; with a `gate` (background
    /// work of an `EngineScheduler`) each thread of the pass gives way to interactive work between layers.
    package func lastHiddenStates(
        _ batch: [[Int]], prefix: PrefixCache? = nil, prefixLength: Int? = nil,
        isCancelled: (@Sendable () -> Bool)? = nil, gate: BackgroundGate? = nil
    ) throws(EngineError) -> [[Float]] {
        guard !batch.isEmpty else { return [] }
        try validate(batch)
        let context = prefix.map { min(prefixLength ?? $0.ids.count, $0.ids.count) } ?? 0
        let groups = Self.groups(batch, into: Kernels.threads)
        if groups.count == 1 {
            return try run(batch, prefix: prefix, context: context, workers: Kernels.threads, isCancelled: isCancelled, gate: gate)
        }
        // Several sequences: each core runs its own share of the batch, single-threaded inside, so
        // every step of the pass (not only the matrix products) runs in parallel.
        let outputs = GroupOutputs(count: batch.count)
        DispatchQueue.concurrentPerform(iterations: groups.count) { group in
            let members = groups[group]
            do throws(EngineError) {
                let states = try run(members.map { batch[$0] }, prefix: prefix, context: context, workers: 1, isCancelled: isCancelled, gate: gate)
                for (member, state) in zip(members, states) { outputs.set(member, state) }
            } catch {
                outputs.fail(error)
            }
        }
        return try outputs.result()
    }

    /// Tokens one pass holds activations for; larger batches run in several passes, which bounds
    /// memory (about 70 KB per token for the 0.6B shape) without changing any result.
    static let tokensPerPass = 4096

    private func run(_ batch: [[Int]], prefix: PrefixCache?, context: Int, workers: Int,
                     isCancelled: (@Sendable () -> Bool)?, gate: BackgroundGate? = nil) throws(EngineError) -> [[Float]] {
        defer { gate?.leave() }
        var outputs: [[Float]] = []
        var start = 0
        while start < batch.count {
            var end = start + 1
            var tokens = batch[start].count
            while end < batch.count && tokens + batch[end].count <= Self.tokensPerPass {
                tokens += batch[end].count
                end += 1
            }
            let part = Array(batch[start..<end])
            let state = makeState(part, contextLength: context, workers: workers)
            let finalRows = try forward(batch: part, state: state, prefix: prefix, contextLength: context, capture: nil,
                                        isCancelled: isCancelled, gate: gate)
            outputs += finalStates(finalRows, state: state)
            start = end
        }
        return outputs
    }

    /// Splits a batch into at most `count` groups of similar token totals (longest first, each to the
    /// lightest group); one group when the batch is a single sequence or small.
    static func groups(_ batch: [[Int]], into count: Int) -> [[Int]] {
        let total = batch.reduce(0) { $0 + $1.count }
        guard count > 1, batch.count > 1, total >= 64 else { return [Array(batch.indices)] }
        var groups = [[Int]](repeating: [], count: min(count, batch.count))
        var loads = [Int](repeating: 0, count: groups.count)
        for index in batch.indices.sorted(by: { batch[$0].count > batch[$1].count }) {
            let lightest = loads.indices.min { loads[$0] < loads[$1] } ?? 0
            groups[lightest].append(index)
            loads[lightest] += batch[index].count
        }
        return groups
    }

    /// Runs `ids` once and keeps every layer's keys and values for inputs that start with them.
    package func prefixCache(for ids: [Int]) throws(EngineError) -> PrefixCache {
        try lastHiddenStateAndPrefix(ids, prefixLength: ids.count).prefix
    }

    /// The last hidden state of `ids` together with a cache of its first `prefixLength` tokens: the
    /// first of many inputs that share a start pays for the start once, in its own pass, instead of
    /// in a separate shorter pass (which runs the matrix products far less efficiently).
    package func lastHiddenStateAndPrefix(
        _ ids: [Int], prefixLength: Int, isCancelled: (@Sendable () -> Bool)? = nil
    ) throws(EngineError) -> (hidden: [Float], prefix: PrefixCache) {
        try validate([ids])
        let length = max(0, min(prefixLength, ids.count))
        let state = makeState([ids], contextLength: 0, workers: Kernels.threads)
        let width = configuration.keyValueWidth
        var keys: [[Float]] = []
        var values: [[Float]] = []
        let finalRows = try forward(batch: [ids], state: state, prefix: nil, contextLength: 0, capture: { key, value in
            keys.append(Array(UnsafeBufferPointer(start: key, count: length * width)))
            values.append(Array(UnsafeBufferPointer(start: value, count: length * width)))
        }, isCancelled: isCancelled)
        return (finalStates(finalRows, state: state)[0], PrefixCache(ids: Array(ids.prefix(length)), keys: keys, values: values))
    }

    private func validate(_ batch: [[Int]]) throws(EngineError) {
        let embeddingRows = weights.tokenEmbedding.shape[0]
        for ids in batch {
            guard !ids.isEmpty else { throw .emptyInput }
            if let bad = ids.first(where: { $0 < 0 || $0 >= embeddingRows }) {
                throw .tokenOutOfRange(folder: folder, tokenId: bad, vocabularySize: embeddingRows)
            }
        }
    }

    private func makeState(_ batch: [[Int]], contextLength: Int, workers: Int) -> RunState {
        RunState(configuration: configuration, lengths: batch.map(\.count), contextLength: contextLength,
                 weightTileCount: weights.convertedAtLoad ? 0 : weightTileFloats, precision: precision,
                 workers: workers)
    }

    /// The final-normed hidden states at `rows` (one per sequence, as `forward` returns them).
    private func finalStates(_ rows: [Int], state: RunState) -> [[Float]] {
        let hidden = configuration.hiddenSize
        return rows.map { row in
            let last = state.hidden + row * hidden
            var output = [Float](repeating: 0, count: hidden)
            output.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                Kernels.rmsNorm(last, output: base, count: 1, width: hidden, stride: hidden,
                                weight: weights.finalNorm.values, epsilon: configuration.rmsNormEpsilon)
            }
            return output
        }
    }

    /// Next-token logits of the given vocabulary rows for a final hidden state.
    package func logits(of hiddenState: [Float], rows: [Int]) throws(EngineError) -> [Float] {
        guard let head = weights.languageModelHead else {
            throw .missingLanguageModelHead(folder: folder)
        }
        let width = configuration.hiddenSize
        var row = [Float](repeating: 0, count: width)
        var logits: [Float] = []
        for index in rows {
            guard index >= 0 && index < head.shape[0] else {
                throw .tokenOutOfRange(folder: folder, tokenId: index, vocabularySize: head.shape[0])
            }
            row.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                head.convert(start: index * width, count: width, into: base)
            }
            var sum: Double = 0
            for column in 0..<width { sum += Double(row[column]) * Double(hiddenState[column]) }
            logits.append(Float(sum))
        }
        return logits
    }
}

/// Results of a batch computed in groups on several threads; each index is written once.
private final class GroupOutputs: Sendable {
    private let outputs: Mutex<(states: [[Float]], error: EngineError?)>

    init(count: Int) {
        outputs = Mutex((Array(repeating: [], count: count), nil))
    }

    func set(_ index: Int, _ state: [Float]) { outputs.withLock { $0.states[index] = state } }

    func fail(_ failure: EngineError) { outputs.withLock { if $0.error == nil { $0.error = failure } } }

    func result() throws(EngineError) -> [[Float]] {
        let (states, error) = outputs.withLock { ($0.states, $0.error) }
        if let error { throw error }
        return states
    }
}
