/// The published shapes of the Qwen3-Embedding checkpoints, for random-weight benchmark models.
///
/// Values from the models' config.json on the Hugging Face hub (Qwen/Qwen3-Embedding-0.6B, -4B, -8B).
package struct ModelShape: Sendable, Equatable {
    package let name: String
    package let vocabularySize: Int
    package let hiddenSize: Int
    package let intermediateSize: Int
    package let layerCount: Int
    package let attentionHeadCount: Int
    package let keyValueHeadCount: Int
    package let headDimension: Int
    package let tiesWordEmbeddings: Bool

    package static let embedding0_6B = ModelShape(
        name: "Qwen3-Embedding-0.6B", vocabularySize: 151_669, hiddenSize: 1024, intermediateSize: 3072,
        layerCount: 28, attentionHeadCount: 16, keyValueHeadCount: 8, headDimension: 128, tiesWordEmbeddings: true)
    package static let embedding4B = ModelShape(
        name: "Qwen3-Embedding-4B", vocabularySize: 151_665, hiddenSize: 2560, intermediateSize: 9728,
        layerCount: 36, attentionHeadCount: 32, keyValueHeadCount: 8, headDimension: 128, tiesWordEmbeddings: true)
    package static let embedding8B = ModelShape(
        name: "Qwen3-Embedding-8B", vocabularySize: 151_665, hiddenSize: 4096, intermediateSize: 12288,
        layerCount: 36, attentionHeadCount: 32, keyValueHeadCount: 8, headDimension: 128, tiesWordEmbeddings: false)

    package static let all = [embedding0_6B, embedding4B, embedding8B]

    /// The config.json of this shape, in the layout of the published checkpoints.
    package var configurationJSON: String {
        """
        {
          "architectures": ["Qwen3ForCausalLM"],
          "attention_bias": false,
          "attention_dropout": 0.0,
          "bos_token_id": 151643,
          "eos_token_id": 151643,
          "head_dim": \(headDimension),
          "hidden_act": "silu",
          "hidden_size": \(hiddenSize),
          "initializer_range": 0.02,
          "intermediate_size": \(intermediateSize),
          "max_position_embeddings": 32768,
          "max_window_layers": \(layerCount),
          "model_type": "qwen3",
          "num_attention_heads": \(attentionHeadCount),
          "num_hidden_layers": \(layerCount),
          "num_key_value_heads": \(keyValueHeadCount),
          "rms_norm_eps": 1e-06,
          "rope_scaling": null,
          "rope_theta": 1000000,
          "sliding_window": null,
          "tie_word_embeddings": \(tiesWordEmbeddings),
          "torch_dtype": "bfloat16",
          "use_cache": true,
          "use_sliding_window": false,
          "vocab_size": \(vocabularySize)
        }
        """
    }

    /// Every tensor of an embedding checkpoint (names without `model.`, as the published ones), in order.
    package var tensors: [(name: String, shape: [Int])] {
        let queryWidth = attentionHeadCount * headDimension
        let keyValueWidth = keyValueHeadCount * headDimension
        var list: [(String, [Int])] = [("embed_tokens.weight", [vocabularySize, hiddenSize])]
        for layer in 0..<layerCount {
            let prefix = "layers.\(layer)."
            list += [
                (prefix + "input_layernorm.weight", [hiddenSize]),
                (prefix + "self_attn.q_proj.weight", [queryWidth, hiddenSize]),
                (prefix + "self_attn.k_proj.weight", [keyValueWidth, hiddenSize]),
                (prefix + "self_attn.v_proj.weight", [keyValueWidth, hiddenSize]),
                (prefix + "self_attn.q_norm.weight", [headDimension]),
                (prefix + "self_attn.k_norm.weight", [headDimension]),
                (prefix + "self_attn.o_proj.weight", [hiddenSize, queryWidth]),
                (prefix + "post_attention_layernorm.weight", [hiddenSize]),
                (prefix + "mlp.gate_proj.weight", [intermediateSize, hiddenSize]),
                (prefix + "mlp.up_proj.weight", [intermediateSize, hiddenSize]),
                (prefix + "mlp.down_proj.weight", [hiddenSize, intermediateSize]),
            ]
        }
        list.append(("norm.weight", [hiddenSize]))
        return list
    }
}
