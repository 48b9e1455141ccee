import CKernels
import Foundation

/// The attention block of a Qwen3 layer: RMSNorm → q/k/v → per-head RMSNorm of q and k → RoPE → causal
/// grouped-query attention → o_proj added to the residual stream.
extension Qwen3Model {
    /// `state.attention (tokens, heads · head_dim)` for every token of the batch.
    func selfAttention(_ layer: Qwen3LayerWeights, index layerIndex: Int, batch: [[Int]], prefix: PrefixCache?,
                       contextLength: Int, capture: ((UnsafePointer<Float>, UnsafePointer<Float>) -> Void)?, pass: ForwardPass) {
        let config = configuration
        let state = pass.state
        let tokens = pass.tokens
        let hidden = config.hiddenSize
        let headDimension = config.headDimension
        let epsilon = config.rmsNormEpsilon
        Kernels.rmsNorm(state.hidden, output: state.normed, count: tokens, width: hidden, stride: hidden,
                        weight: layer.inputNorm.values, epsilon: epsilon)                  // normed (tokens, hidden)
        pass.project(state.normed, hidden, layer.queryProjection, state.query)           // query (tokens, heads · head_dim)
        pass.project(state.normed, hidden, layer.keyProjection, state.key)               // key   (tokens, kv_heads · head_dim)
        pass.project(state.normed, hidden, layer.valueProjection, state.value)           // value (tokens, kv_heads · head_dim)
        // q_norm / k_norm: RMSNorm over each head's head_dim values, (tokens · heads, head_dim).
        Kernels.rmsNorm(state.query, output: state.query, count: tokens * config.attentionHeadCount,
                        width: headDimension, stride: headDimension, weight: layer.queryNorm.values, epsilon: epsilon)
        Kernels.rmsNorm(state.key, output: state.key, count: tokens * config.keyValueHeadCount,
                        width: headDimension, stride: headDimension, weight: layer.keyNorm.values, epsilon: epsilon)
        applyRotary(batch: batch, contextLength: contextLength, state: state)
        capture?(state.key, state.value)
        // attention (tokens, heads · head_dim) = softmax(q·kᵀ/√head_dim + causal mask) · v, per sequence.
        for (sequence, ids) in batch.enumerated() {
            attend(start: state.starts[sequence], length: ids.count, layer: layerIndex,
                   prefix: prefix, contextLength: contextLength, state: state, fastKernel: pass.fastKernel)
        }
    }

    /// `hidden (rows, hidden) += o_proj(attention (rows, heads · head_dim))`.
    func addAttentionOutput(_ layer: Qwen3LayerWeights, rows: Int, pass: ForwardPass) {
        let state = pass.state
        pass.project(state.attention, configuration.queryWidth, layer.outputProjection, state.projected, rows: rows)
        Kernels.add(state.hidden, state.projected, count: rows * configuration.hiddenSize)
        pass.roundResidual(rows: rows, width: configuration.hiddenSize)
    }

    /// RoPE (rotate-half form) on every token's query and key heads, at its position after the context.
    private func applyRotary(batch: [[Int]], contextLength: Int, state: RunState) {
        let config = configuration
        let half = config.headDimension / 2
        let longest = batch.map(\.count).max() ?? 0
        let (cosTable, sinTable) = rotary.tables(positions: contextLength + longest)   // (positions, head_dim / 2)
        cosTable.withUnsafeBufferPointer { cosBuffer in
            sinTable.withUnsafeBufferPointer { sinBuffer in
                guard let cos = cosBuffer.baseAddress, let sin = sinBuffer.baseAddress else { return }
                for (sequence, ids) in batch.enumerated() {
                    for offset in 0..<ids.count {
                        let token = state.starts[sequence] + offset
                        let angles = (contextLength + offset) * half
                        qwery_rope(state.query + token * config.queryWidth, Int32(config.attentionHeadCount), Int32(config.headDimension),
                                   Int32(half), cos + angles, sin + angles)
                        qwery_rope(state.key + token * config.keyValueWidth, Int32(config.keyValueHeadCount), Int32(config.headDimension),
                                   Int32(half), cos + angles, sin + angles)
                    }
                }
            }
        }
    }

    /// Causal grouped-query attention of one sequence: softmax(q·kᵀ/√d)·v for every head, heads
    /// split across the cores, queries in blocks of `attentionBlock` rows that only look at the keys
    /// they can see (the masked upper triangle is never computed). With a prefix, its first
    /// `contextLength` keys and values come before the sequence's own.
    private func attend(start: Int, length: Int, layer: Int, prefix: PrefixCache?, contextLength: Int, state: RunState,
                        fastKernel: FastKernel) {
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
        let sharedJob = Shared(AttentionJob(
            query: UnsafePointer(state.query + start * config.queryWidth), keys: keys, values: values,
            output: state.attention + start * config.queryWidth, scores: state.scores, scoresPerWorker: state.scoresPerWorker,
            length: length, contextLength: contextLength, headDimension: config.headDimension, queryWidth: config.queryWidth,
            keyValueWidth: keyValueWidth, queriesPerKeyValueHead: config.queriesPerKeyValueHead))
        if let scratch = state.attentionScratch {
            // Fast precision: p·v in bf16 products, each head's values packed once for its query heads. (int8
            // keeps fp32 attention: bf16 p·v on top of int8 projections measured below its 0.999 bound.)
            let heads = config.keyValueHeadCount
            let shared = AttentionScratch(base: scratch, perWorker: state.attentionScratchPerWorker)
            ThreadPool.runShares(of: heads, workers: min(state.workers, heads)) { worker, share in
                let job = sharedJob.value
                for head in share {
                    job.runBFloat16(keyValueHead: head, scores: job.scores + worker * job.scoresPerWorker,
                                    scratch: shared.base + worker * shared.perWorker, kernel: fastKernel)
                }
            }
            return
        }
        let heads = config.attentionHeadCount
        ThreadPool.runShares(of: heads, workers: min(state.workers, heads)) { worker, share in
            let job = sharedJob.value
            for head in share { job.run(head: head, scores: job.scores + worker * job.scoresPerWorker) }
        }
    }
}

/// Per-worker scratch of bf16 attention; each worker uses only its own slice.
private struct AttentionScratch: Sendable {
    private let shared: Shared<UnsafeMutablePointer<UInt16>>
    var base: UnsafeMutablePointer<UInt16> { shared.value }
    let perWorker: Int

    init(base: UnsafeMutablePointer<UInt16>, perWorker: Int) {
        shared = Shared(base)
        self.perWorker = perWorker
    }
}
