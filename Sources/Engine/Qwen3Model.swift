import CBLAS

/// A Qwen3 decoder (transformers' modeling_qwen3.py) running in fp32 on OpenBLAS.
///
/// Immutable after loading, so one instance serves concurrent callers; each forward pass owns its
/// scratch buffers.
public final class Qwen3Model: Sendable {
    public let folder: String
    public let configuration: Qwen3Configuration
    let weights: Qwen3Weights
    let rotary: RotaryEmbedding
    let weightTileFloats: Int

    /// Loads `config.json` and the safetensors weights of a Hugging Face model folder.
    public convenience init(folder: String, conversion: WeightConversion = .automatic) throws(EngineError) {
        try self.init(folder: folder, conversion: conversion, weightTileFloats: 1 << 20)
    }

    /// `weightTileFloats`: size of the buffer weight tiles are converted into when not converted at load.
    init(folder: String, conversion: WeightConversion, weightTileFloats: Int) throws(EngineError) {
        self.folder = folder
        self.weightTileFloats = weightTileFloats
        configuration = try Qwen3Configuration(contentsOf: folder + "/config.json")
        let checkpoint = try Checkpoint(folder: folder)
        weights = try Qwen3Weights(checkpoint: checkpoint, configuration: configuration, conversion: conversion)
        rotary = RotaryEmbedding(headDimension: configuration.headDimension, theta: configuration.ropeTheta)
    }

    /// Whether the checkpoint can produce next-token logits (needed by the reranker).
    public var hasLanguageModelHead: Bool { weights.languageModelHead != nil }

    /// The final-normed hidden state of the last token of each sequence, `hiddenSize` values each.
    /// Sequences of different lengths run in one batch and give the same result as one at a time.
    public func lastHiddenStates(_ batch: [[Int]]) throws(EngineError) -> [[Float]] {
        guard !batch.isEmpty else { return [] }
        let embeddingRows = weights.tokenEmbedding.shape[0]
        for ids in batch {
            guard !ids.isEmpty else { throw .emptyInput }
            if let bad = ids.first(where: { $0 < 0 || $0 >= embeddingRows }) {
                throw .tokenOutOfRange(tokenId: bad, vocabularySize: embeddingRows)
            }
        }
        var starts: [Int] = []
        var total = 0
        for ids in batch {
            starts.append(total)
            total += ids.count
        }
        let longest = batch.map(\.count).max() ?? 0
        let state = RunState(configuration: configuration, tokenCount: total, longestSequence: longest,
                             weightTileCount: weights.convertedAtLoad ? 0 : weightTileFloats)
        forward(batch: batch, starts: starts, state: state)

        let hidden = configuration.hiddenSize
        var outputs: [[Float]] = []
        outputs.reserveCapacity(batch.count)
        for (index, ids) in batch.enumerated() {
            let last = state.hidden + (starts[index] + ids.count - 1) * hidden
            var output = [Float](repeating: 0, count: hidden)
            output.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                Kernels.rmsNorm(last, output: base, count: 1, width: hidden, stride: hidden,
                                weight: weights.finalNorm.values, epsilon: configuration.rmsNormEpsilon)
            }
            outputs.append(output)
        }
        return outputs
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
                throw .tokenOutOfRange(tokenId: index, vocabularySize: head.shape[0])
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

    private func forward(batch: [[Int]], starts: [Int], state: RunState) {
        let config = configuration
        let hidden = config.hiddenSize
        let headDimension = config.headDimension
        let queryWidth = config.queryWidth
        let keyValueWidth = config.keyValueWidth
        let tokens = state.tokenCount
        let epsilon = config.rmsNormEpsilon
        let scale = 1 / Float(headDimension).squareRoot()
        let longest = batch.map(\.count).max() ?? 0
        let (cosTable, sinTable) = rotary.tables(positions: longest)

        // Token embedding.
        for (sequence, ids) in batch.enumerated() {
            for (offset, id) in ids.enumerated() {
                weights.tokenEmbedding.convert(start: id * hidden, count: hidden, into: state.hidden + (starts[sequence] + offset) * hidden)
            }
        }

        /// `output = input · weightᵀ` for every token of the batch.
        func project(_ input: UnsafePointer<Float>, _ width: Int, _ weight: LinearWeight, _ output: UnsafeMutablePointer<Float>) {
            Kernels.linear(input, rows: tokens, inputWidth: width, weight: weight, output: output,
                           scratch: state.weightTile, scratchCount: state.weightTileCount)
        }

        cosTable.withUnsafeBufferPointer { cosBuffer in
        sinTable.withUnsafeBufferPointer { sinBuffer in
            guard let cos = cosBuffer.baseAddress, let sin = sinBuffer.baseAddress else { return }
            for layer in weights.layers {
                // Attention block: RMSNorm → q/k/v → per-head RMSNorm on q and k → RoPE → causal GQA → o.
                Kernels.rmsNorm(state.hidden, output: state.normed, count: tokens, width: hidden, stride: hidden,
                                weight: layer.inputNorm.values, epsilon: epsilon)
                project(state.normed, hidden, layer.queryProjection, state.query)
                project(state.normed, hidden, layer.keyProjection, state.key)
                project(state.normed, hidden, layer.valueProjection, state.value)
                Kernels.rmsNorm(state.query, output: state.query, count: tokens * config.attentionHeadCount,
                                width: headDimension, stride: headDimension, weight: layer.queryNorm.values, epsilon: epsilon)
                Kernels.rmsNorm(state.key, output: state.key, count: tokens * config.keyValueHeadCount,
                                width: headDimension, stride: headDimension, weight: layer.keyNorm.values, epsilon: epsilon)
                for (sequence, ids) in batch.enumerated() {
                    for position in 0..<ids.count {
                        let token = starts[sequence] + position
                        for head in 0..<config.attentionHeadCount {
                            rotary.apply(state.query + token * queryWidth + head * headDimension, position: position, cos: cos, sin: sin)
                        }
                        for head in 0..<config.keyValueHeadCount {
                            rotary.apply(state.key + token * keyValueWidth + head * headDimension, position: position, cos: cos, sin: sin)
                        }
                    }
                }
                for (sequence, ids) in batch.enumerated() {
                    attend(start: starts[sequence], length: ids.count, scale: scale, state: state)
                }
                project(state.attention, queryWidth, layer.outputProjection, state.projected)
                Kernels.add(state.hidden, state.projected, count: tokens * hidden)

                // MLP block: RMSNorm → down(silu(gate(x)) * up(x)).
                Kernels.rmsNorm(state.hidden, output: state.normed, count: tokens, width: hidden, stride: hidden,
                                weight: layer.postAttentionNorm.values, epsilon: epsilon)
                project(state.normed, hidden, layer.gateProjection, state.gate)
                project(state.normed, hidden, layer.upProjection, state.up)
                Kernels.siluMultiply(state.gate, state.up, count: tokens * config.intermediateSize)
                project(state.gate, config.intermediateSize, layer.downProjection, state.projected)
                Kernels.add(state.hidden, state.projected, count: tokens * hidden)
            }
        }
        }
    }

    /// Causal grouped-query attention of one sequence, every head: softmax(q·kᵀ·scale)·v.
    private func attend(start: Int, length: Int, scale: Float, state: RunState) {
        let config = configuration
        let headDimension = config.headDimension
        let queryWidth = config.queryWidth
        let keyValueWidth = config.keyValueWidth
        for head in 0..<config.attentionHeadCount {
            let keyValueHead = head / config.queriesPerKeyValueHead
            let query = state.query + start * queryWidth + head * headDimension
            let key = state.key + start * keyValueWidth + keyValueHead * headDimension
            let value = state.value + start * keyValueWidth + keyValueHead * headDimension
            let output = state.attention + start * queryWidth + head * headDimension
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                        Int32(length), Int32(length), Int32(headDimension),
                        scale, query, Int32(queryWidth), key, Int32(keyValueWidth),
                        0, state.scores, Int32(length))
            for row in 0..<length {
                Kernels.causalSoftmax(state.scores, row: row, width: length)
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                        Int32(length), Int32(headDimension), Int32(length),
                        1, state.scores, Int32(length), value, Int32(keyValueWidth),
                        0, output, Int32(queryWidth))
        }
    }
}
