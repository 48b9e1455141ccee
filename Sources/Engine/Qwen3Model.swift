import CBLAS
import CKernels
import Foundation

/// A Qwen3 decoder (transformers' modeling_qwen3.py): fp32 on OpenBLAS in exact precision, bf16 or
/// int8 kernels in fast and int8 (see `Precision`).
///
/// Immutable after loading, so one instance serves concurrent callers; each forward pass owns its
/// scratch buffers.
public final class Qwen3Model: Sendable {
    public let folder: String
    public let configuration: Qwen3Configuration
    let weights: Qwen3Weights
    let rotary: RotaryEmbedding
    let weightTileFloats: Int
    public let precision: Precision
    let fastKernel: FastKernel

    /// Loads `config.json` and the safetensors weights of a Hugging Face model folder.
    public convenience init(folder: String, precision: Precision = .automatic, conversion: WeightConversion = .automatic) throws(EngineError) {
        try self.init(folder: folder, precision: precision, conversion: conversion, weightTileFloats: 1 << 20)
    }

    /// `weightTileFloats`: size of the buffer weight tiles are converted into when not converted at load.
    init(folder: String, precision: Precision = .exact, conversion: WeightConversion = .automatic, weightTileFloats: Int,
         fastKernel: FastKernel = .automatic) throws(EngineError) {
        _ = Kernels.configureBLAS
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
    public var hasLanguageModelHead: Bool { weights.languageModelHead != nil }

    /// The final-normed hidden state of the last token of each sequence, `hiddenSize` values each.
    /// Sequences of different lengths run in one batch and give the same result as one at a time.
    ///
    /// With `prefix`, each sequence continues the first `prefixLength` cached tokens (all by default);
    /// `isCancelled` is asked between layers and ends the pass with `.cancelled`; with a `gate` (background
    /// work of an `EngineScheduler`) each thread of the pass gives way to interactive work between layers.
    public func lastHiddenStates(
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
    public func prefixCache(for ids: [Int]) throws(EngineError) -> PrefixCache {
        try lastHiddenStateAndPrefix(ids, prefixLength: ids.count).prefix
    }

    /// The last hidden state of `ids` together with a cache of its first `prefixLength` tokens: the
    /// first of many inputs that share a start pays for the start once, in its own pass, instead of
    /// in a separate shorter pass (which runs the matrix products far less efficiently).
    public func lastHiddenStateAndPrefix(
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
    public func logits(of hiddenState: [Float], rows: [Int]) throws(EngineError) -> [Float] {
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

    // MARK: - Forward pass

    /// The decoder, top to bottom, over every token of the batch at once (one sgemm per projection).
    /// `capture` receives each layer's keys (after RoPE) and values; `contextLength` rows of `prefix`
    /// precede every sequence. Returns the row of `state.hidden` holding each sequence's last token:
    /// only those rows are carried through the last layer after attention (nothing reads the others),
    /// which saves most of that layer's work.
    private func forward(
        batch: [[Int]], state: RunState, prefix: PrefixCache?, contextLength: Int,
        capture: ((UnsafePointer<Float>, UnsafePointer<Float>) -> Void)?, isCancelled: (@Sendable () -> Bool)?,
        gate: BackgroundGate? = nil
    ) throws(EngineError) -> [Int] {
        let config = configuration
        let hidden = config.hiddenSize
        let headDimension = config.headDimension
        let queryWidth = config.queryWidth
        let keyValueWidth = config.keyValueWidth
        let tokens = state.tokenCount
        let epsilon = config.rmsNormEpsilon
        let longest = batch.map(\.count).max() ?? 0
        let (cosTable, sinTable) = rotary.tables(positions: contextLength + longest)

        // state.hidden (tokens, hidden) ← embed_tokens rows; the residual stream, updated in place per layer.
        for (sequence, ids) in batch.enumerated() {
            for (offset, id) in ids.enumerated() {
                weights.tokenEmbedding.convert(start: id * hidden, count: hidden, into: state.hidden + (state.starts[sequence] + offset) * hidden)
            }
        }

        /// `output = input · weightᵀ` for the first `rows` tokens of the batch (all by default).
        func project(_ input: UnsafePointer<Float>, _ width: Int, _ weight: LinearWeight, _ output: UnsafeMutablePointer<Float>,
                     rows: Int? = nil) {
            // Background work gives way before every projection: a query waits for one matrix product of
            // the indexer's batch at most, not a whole layer (measured: 1.17 s → see README, while indexing).
            gate?.checkpoint()
            Kernels.linear(input, rows: rows ?? tokens, inputWidth: width, weight: weight, output: output,
                           scratch: state.weightTile, scratchCount: state.weightTileCount,
                           bfloat16: state.activationBFloat16, kernel: fastKernel, workers: state.workers)
        }

        var finalRows = batch.indices.map { state.starts[$0] + batch[$0].count - 1 }
        for (layerIndex, layer) in weights.layers.enumerated() {
            gate?.checkpoint()  // pauses here (and before each projection) while interactive work waits
            if isCancelled?() == true { throw .cancelled }
            // Attention block: RMSNorm → q/k/v → per-head RMSNorm on q and k → RoPE → causal GQA → o.
            Kernels.rmsNorm(state.hidden, output: state.normed, count: tokens, width: hidden, stride: hidden,
                            weight: layer.inputNorm.values, epsilon: epsilon)                  // normed (tokens, hidden)
            project(state.normed, hidden, layer.queryProjection, state.query)                 // query (tokens, heads · head_dim)
            project(state.normed, hidden, layer.keyProjection, state.key)                     // key   (tokens, kv_heads · head_dim)
            project(state.normed, hidden, layer.valueProjection, state.value)                 // value (tokens, kv_heads · head_dim)
            // q_norm / k_norm: RMSNorm over each head's head_dim values, (tokens · heads, head_dim).
            Kernels.rmsNorm(state.query, output: state.query, count: tokens * config.attentionHeadCount,
                            width: headDimension, stride: headDimension, weight: layer.queryNorm.values, epsilon: epsilon)
            Kernels.rmsNorm(state.key, output: state.key, count: tokens * config.keyValueHeadCount,
                            width: headDimension, stride: headDimension, weight: layer.keyNorm.values, epsilon: epsilon)
            let half = headDimension / 2
            cosTable.withUnsafeBufferPointer { cosBuffer in
                sinTable.withUnsafeBufferPointer { sinBuffer in
                    guard let cos = cosBuffer.baseAddress, let sin = sinBuffer.baseAddress else { return }
                    for (sequence, ids) in batch.enumerated() {
                        for offset in 0..<ids.count {
                            let token = state.starts[sequence] + offset
                            let angles = (contextLength + offset) * half
                            qwery_rope(state.query + token * queryWidth, Int32(config.attentionHeadCount), Int32(headDimension),
                                       Int32(half), cos + angles, sin + angles)
                            qwery_rope(state.key + token * keyValueWidth, Int32(config.keyValueHeadCount), Int32(headDimension),
                                       Int32(half), cos + angles, sin + angles)
                        }
                    }
                }
            }
            capture?(state.key, state.value)
            // attention (tokens, heads · head_dim) = softmax(q·kᵀ/√head_dim + causal mask) · v, per sequence.
            for (sequence, ids) in batch.enumerated() {
                attend(start: state.starts[sequence], length: ids.count, layer: layerIndex,
                       prefix: prefix, contextLength: contextLength, state: state)
            }
            var rows = tokens
            if layerIndex == weights.layers.count - 1 {
                // Last layer: only each sequence's last token reaches the output. Move those rows to the
                // front (a row never moves down, so no source is overwritten before it is read).
                for (sequence, row) in finalRows.enumerated() where sequence != row {
                    (state.attention + sequence * queryWidth).update(from: state.attention + row * queryWidth, count: queryWidth)
                    (state.hidden + sequence * hidden).update(from: state.hidden + row * hidden, count: hidden)
                }
                rows = finalRows.count
                finalRows = Array(finalRows.indices)
            }
            project(state.attention, queryWidth, layer.outputProjection, state.projected, rows: rows)  // projected (rows, hidden)
            Kernels.add(state.hidden, state.projected, count: rows * hidden)                             // hidden += o(attention)

            // MLP block: RMSNorm → down(silu(gate(x)) * up(x)).
            Kernels.rmsNorm(state.hidden, output: state.normed, count: rows, width: hidden, stride: hidden,
                            weight: layer.postAttentionNorm.values, epsilon: epsilon)                 // normed (rows, hidden)
            project(state.normed, hidden, layer.gateProjection, state.gate, rows: rows)              // gate (rows, intermediate)
            project(state.normed, hidden, layer.upProjection, state.up, rows: rows)                  // up   (rows, intermediate)
            Kernels.siluMultiply(state.gate, state.up, count: rows * config.intermediateSize)        // gate = silu(gate) · up
            project(state.gate, config.intermediateSize, layer.downProjection, state.projected, rows: rows)  // (rows, hidden)
            Kernels.add(state.hidden, state.projected, count: rows * hidden)                             // hidden += mlp
        }
        return finalRows
    }

    /// Causal grouped-query attention of one sequence: softmax(q·kᵀ/√d)·v for every head, heads
    /// split across the cores, queries in blocks of `attentionBlock` rows that only look at the keys
    /// they can see (the masked upper triangle is never computed). With a prefix, its first
    /// `contextLength` keys and values come before the sequence's own.
    private func attend(start: Int, length: Int, layer: Int, prefix: PrefixCache?, contextLength: Int, state: RunState) {
        let config = configuration
        let keyValueWidth = config.keyValueWidth
        var keys = UnsafePointer(state.key + start * keyValueWidth)
        var values = UnsafePointer(state.value + start * keyValueWidth)
        if let prefix, contextLength > 0 {
            // Cached rows, then this sequence's rows, in one contiguous block.
            prefix.keys[layer].withUnsafeBufferPointer { cached in
                guard let base = cached.baseAddress else { return }
                state.contextKey.update(from: base, count: contextLength * keyValueWidth)
            }
            prefix.values[layer].withUnsafeBufferPointer { cached in
                guard let base = cached.baseAddress else { return }
                state.contextValue.update(from: base, count: contextLength * keyValueWidth)
            }
            (state.contextKey + contextLength * keyValueWidth).update(from: keys, count: length * keyValueWidth)
            (state.contextValue + contextLength * keyValueWidth).update(from: values, count: length * keyValueWidth)
            keys = UnsafePointer(state.contextKey)
            values = UnsafePointer(state.contextValue)
        }
        let job = AttentionJob(
            query: UnsafePointer(state.query + start * config.queryWidth), keys: keys, values: values,
            output: state.attention + start * config.queryWidth, scores: state.scores, scoresPerWorker: state.scoresPerWorker,
            length: length, contextLength: contextLength, headDimension: config.headDimension, queryWidth: config.queryWidth,
            keyValueWidth: keyValueWidth, queriesPerKeyValueHead: config.queriesPerKeyValueHead)
        if let scratch = state.attentionScratch {
            // Fast precision: p·v in bf16 products, each head's values packed once for its query heads. (int8
            // keeps fp32 attention: bf16 p·v on top of int8 projections measured below its 0.999 bound.)
            let heads = config.keyValueHeadCount
            let shared = AttentionScratch(base: scratch, perWorker: state.attentionScratchPerWorker)
            ThreadPool.runShares(of: heads, workers: min(state.workers, heads)) { worker, share in
                for head in share {
                    job.runBFloat16(keyValueHead: head, scores: job.scores + worker * job.scoresPerWorker,
                                    scratch: shared.base + worker * shared.perWorker, kernel: fastKernel)
                }
            }
            return
        }
        let heads = config.attentionHeadCount
        ThreadPool.runShares(of: heads, workers: min(state.workers, heads)) { worker, share in
            for head in share { job.run(head: head, scores: job.scores + worker * job.scoresPerWorker) }
        }
    }
}


/// Per-worker scratch of bf16 attention; each worker uses only its own slice.
private struct AttentionScratch: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt16>
    let perWorker: Int
}

/// Results of a batch computed in groups on several threads; each index is written once.
private final class GroupOutputs: @unchecked Sendable {
    private let lock = NSLock()
    private var states: [[Float]]
    private var error: EngineError?

    init(count: Int) {
        states = Array(repeating: [], count: count)
    }

    func set(_ index: Int, _ state: [Float]) { lock.withLock { states[index] = state } }

    func fail(_ failure: EngineError) { lock.withLock { if error == nil { error = failure } } }

    func result() throws(EngineError) -> [[Float]] {
        if let error { throw error }
        return states
    }
}
