/// The weights of one Qwen3 decoder layer; norms in fp32, projections as `LinearWeight`s.
struct Qwen3LayerWeights: Sendable {
    let inputNorm: FloatMatrix          // (hidden)
    let queryProjection: LinearWeight    // (heads * headDim, hidden)
    let keyProjection: LinearWeight      // (kvHeads * headDim, hidden)
    let valueProjection: LinearWeight    // (kvHeads * headDim, hidden)
    let queryNorm: FloatMatrix          // (headDim)
    let keyNorm: FloatMatrix            // (headDim)
    let outputProjection: LinearWeight   // (hidden, heads * headDim)
    let postAttentionNorm: FloatMatrix  // (hidden)
    let gateProjection: LinearWeight     // (intermediate, hidden)
    let upProjection: LinearWeight       // (intermediate, hidden)
    let downProjection: LinearWeight     // (hidden, intermediate)
}

/// All weights of a Qwen3 model. The token embedding table and LM head stay memory-mapped in their
/// stored precision: only the rows a batch uses are converted.
struct Qwen3Weights: Sendable {
    let tokenEmbedding: StoredTensor    // (vocab, hidden)
    let layers: [Qwen3LayerWeights]
    let finalNorm: FloatMatrix          // (hidden)
    /// `lm_head.weight`, or the embedding table when tied; nil for base (embedding-only) checkpoints.
    let languageModelHead: StoredTensor?  // (vocab, hidden)
    /// Whether projections were converted to fp32 at load (else tiles are converted during each pass).
    let convertedAtLoad: Bool

    static let layerZero = "layers.0."

    /// Maps checkpoint names to weights and checks every shape against the configuration.
    /// Names follow transformers' Qwen3 (`layers.N.self_attn.q_proj.weight`, …), with or without `model.`.
    init(checkpoint: Checkpoint, configuration: Qwen3Configuration, conversion: WeightConversion, precision: Precision) throws(EngineError) {
        let hidden = configuration.hiddenSize
        let intermediate = configuration.intermediateSize
        let headDimension = configuration.headDimension
        let queryWidth = configuration.queryWidth
        let keyValueWidth = configuration.keyValueWidth
        let vocabulary = configuration.vocabularySize

        tokenEmbedding = try checkpoint.require("embed_tokens.weight", shape: [vocabulary, hidden])
        finalNorm = FloatMatrix(try checkpoint.require("norm.weight", shape: [hidden]))
        let layerParameters = 2 * queryWidth * hidden + 2 * keyValueWidth * hidden + 3 * intermediate * hidden
        let pack = precision == .fast
        let quantize = precision == .int8
        let sixteenBit = try checkpoint.require(Self.layerZero + "mlp.gate_proj.weight", shape: [intermediate, hidden]).dataType != .float32
        let convert = !pack && !quantize
            && conversion.convertsAtLoad(fp32Bytes: layerParameters * configuration.layerCount * 4, storedIn16Bits: sixteenBit)
        convertedAtLoad = convert || pack || quantize
        var layers: [Qwen3LayerWeights] = []
        for index in 0..<configuration.layerCount {
            let prefix = "layers.\(index)."
            func load(_ name: String, _ shape: [Int]) throws(EngineError) -> FloatMatrix {
                FloatMatrix(try checkpoint.require(prefix + name, shape: shape))
            }
            func linear(_ name: String, _ shape: [Int]) throws(EngineError) -> LinearWeight {
                LinearWeight(try checkpoint.require(prefix + name, shape: shape), convert: convert, pack: pack, quantize: quantize)
            }
            layers.append(Qwen3LayerWeights(
                inputNorm: try load("input_layernorm.weight", [hidden]),
                queryProjection: try linear("self_attn.q_proj.weight", [queryWidth, hidden]),
                keyProjection: try linear("self_attn.k_proj.weight", [keyValueWidth, hidden]),
                valueProjection: try linear("self_attn.v_proj.weight", [keyValueWidth, hidden]),
                queryNorm: try load("self_attn.q_norm.weight", [headDimension]),
                keyNorm: try load("self_attn.k_norm.weight", [headDimension]),
                outputProjection: try linear("self_attn.o_proj.weight", [hidden, queryWidth]),
                postAttentionNorm: try load("post_attention_layernorm.weight", [hidden]),
                gateProjection: try linear("mlp.gate_proj.weight", [intermediate, hidden]),
                upProjection: try linear("mlp.up_proj.weight", [intermediate, hidden]),
                downProjection: try linear("mlp.down_proj.weight", [hidden, intermediate])
            ))
        }
        self.layers = layers

        if let head = checkpoint.tensor("lm_head.weight") {
            guard head.shape == [vocabulary, hidden] else {
                throw .wrongShape(path: head.file.path, tensor: head.name, expected: [vocabulary, hidden], found: head.shape)
            }
            languageModelHead = head
        } else if configuration.tiesWordEmbeddings {
            languageModelHead = tokenEmbedding
        } else {
            languageModelHead = nil
        }
    }
}
