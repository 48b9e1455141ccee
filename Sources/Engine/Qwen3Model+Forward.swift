import CKernels

/// One forward pass's buffers and helpers, shared by the layer loop, the attention block and the MLP block.
struct ForwardPass {
    let state: RunState
    /// Tokens in the batch (rows of every activation buffer).
    let tokens: Int
    /// Background work of an `EngineScheduler` gives way here.
    let gate: BackgroundGate?
    let fastKernel: FastKernel
    /// Round products' inputs and outputs and the residual stream to bf16 (calibration's yardstick).
    var roundsToBFloat16 = false

    /// `output (rows, weight.rows) = input (rows, width) · weightᵀ` for the first `rows` tokens (all by default).
    /// Background work gives way before every projection: a query waits for one matrix product of the
    /// indexer's batch at most, not a whole layer (measured: see the README, "Live while indexing").
    func project(_ input: UnsafePointer<Float>, _ width: Int, _ weight: LinearWeight, _ output: UnsafeMutablePointer<Float>,
                 rows: Int? = nil) {
        gate?.checkpoint()
        if roundsToBFloat16 { qwery_round_to_bf16(UnsafeMutablePointer(mutating: input), (rows ?? tokens) * width) }
        Kernels.linear(input, rows: rows ?? tokens, inputWidth: width, weight: weight, output: output,
                       scratch: state.weightTile, scratchCount: state.weightTileCount,
                       bfloat16: state.activationBFloat16, kernel: fastKernel, workers: state.workers)
        if roundsToBFloat16 { qwery_round_to_bf16(output, (rows ?? tokens) * weight.rows) }
    }

    /// The residual stream after an addition: rounded to bf16 when emulating a bf16 model.
    func roundResidual(rows: Int, width: Int) {
        if roundsToBFloat16 { qwery_round_to_bf16(state.hidden, rows * width) }
    }
}

extension Qwen3Model {
    /// The decoder, top to bottom, over every token of the batch at once (one matrix product per projection).
    /// `capture` receives each layer's keys (after RoPE) and values; `contextLength` rows of `prefix`
    /// precede every sequence. Returns the row of `state.hidden` holding each sequence's last token:
    /// only those rows are carried through the last layer after attention (nothing reads the others),
    /// which saves most of that layer's work.
    func forward(
        batch: [[Int]], state: RunState, prefix: PrefixCache?, contextLength: Int,
        capture: ((UnsafePointer<Float>, UnsafePointer<Float>) -> Void)?, isCancelled: (@Sendable () -> Bool)?,
        gate: BackgroundGate? = nil
    ) throws(EngineError) -> [Int] {
        let hidden = configuration.hiddenSize
        let queryWidth = configuration.queryWidth
        var pass = ForwardPass(state: state, tokens: state.tokenCount, gate: gate, fastKernel: fastKernel)
        pass.roundsToBFloat16 = emulatesBFloat16

        // hidden (tokens, hidden) ← embed_tokens rows: the residual stream, updated in place by every layer.
        for (sequence, ids) in batch.enumerated() {
            for (offset, id) in ids.enumerated() {
                weights.tokenEmbedding.convert(start: id * hidden, count: hidden, into: state.hidden + (state.starts[sequence] + offset) * hidden)
            }
        }

        var finalRows = batch.indices.map { state.starts[$0] + batch[$0].count - 1 }
        for (layerIndex, layer) in weights.layers.enumerated() {
            gate?.checkpoint()  // pauses here (and before each projection) while interactive work waits
            if isCancelled?() == true { throw .cancelled }
            // attention (tokens, heads · head_dim), from the normed residual stream.
            selfAttention(layer, index: layerIndex, batch: batch, prefix: prefix, contextLength: contextLength,
                          capture: capture, pass: pass)
            var rows = pass.tokens
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
            addAttentionOutput(layer, rows: rows, pass: pass)   // hidden += o_proj(attention)
            addFeedForward(layer, rows: rows, pass: pass)       // hidden += down(silu(gate(x)) · up(x))
        }
        return finalRows
    }
}
