import Foundation
import Tokenizers

/// The fields of a Qwen3 `config.json` the forward pass needs.
///
/// Defaults follow transformers' `Qwen3Config` (configuration_qwen3.py) where a field is absent.
package struct Qwen3Configuration: Sendable, Equatable {
    package var modelType: String
    package var vocabularySize: Int
    package var hiddenSize: Int
    package var intermediateSize: Int
    package var layerCount: Int
    package var attentionHeadCount: Int
    package var keyValueHeadCount: Int
    package var headDimension: Int
    package var rmsNormEpsilon: Float
    package var ropeTheta: Double
    package var tiesWordEmbeddings: Bool
    package var maximumPositions: Int

    /// Query heads that share one key/value head.
    package var queriesPerKeyValueHead: Int { attentionHeadCount / keyValueHeadCount }
    package var queryWidth: Int { attentionHeadCount * headDimension }
    package var keyValueWidth: Int { keyValueHeadCount * headDimension }

    /// Reads and checks `config.json`.
    package init(contentsOf path: String) throws(EngineError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .missingFile(path: path, hint: "A Hugging Face model folder has config.json beside its safetensors files.")
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse([UInt8](data))
        } catch {
            throw .invalidConfiguration(path: path, message: "not valid JSON (\(error))")
        }
        guard json.objectValue != nil else {
            throw .invalidConfiguration(path: path, message: "the top level is not a JSON object")
        }
        try self.init(json: json, path: path)
    }

    init(json: JSONValue, path: String) throws(EngineError) {
        func integer(_ key: String, default fallback: Int? = nil) throws(EngineError) -> Int {
            if let value = json[key]?.intValue, value > 0 { return value }
            if json[key] == nil || json[key]?.isNull == true, let fallback { return fallback }
            throw .invalidConfiguration(path: path, message: "\"\(key)\" must be a positive integer")
        }
        modelType = json["model_type"]?.stringValue ?? ""
        guard modelType == "qwen3" else {
            throw .unsupportedConfiguration(path: path, field: "model_type", found: modelType.isEmpty ? "(missing)" : modelType)
        }
        vocabularySize = try integer("vocab_size")
        hiddenSize = try integer("hidden_size")
        intermediateSize = try integer("intermediate_size")
        layerCount = try integer("num_hidden_layers")
        attentionHeadCount = try integer("num_attention_heads")
        // Qwen3Config: num_key_value_heads defaults to num_attention_heads.
        keyValueHeadCount = try integer("num_key_value_heads", default: attentionHeadCount)
        // Qwen3Attention: head_dim defaults to hidden_size // num_attention_heads.
        headDimension = try integer("head_dim", default: hiddenSize / attentionHeadCount)
        maximumPositions = try integer("max_position_embeddings", default: 40960)
        // Qwen3Config defaults: rms_norm_eps 1e-6, rope_theta 10000, tie_word_embeddings false.
        rmsNormEpsilon = Float(json["rms_norm_eps"]?.doubleValue ?? 1e-6)
        let ropeParameters = json["rope_parameters"]
        ropeTheta = json["rope_theta"]?.doubleValue ?? ropeParameters?["rope_theta"]?.doubleValue ?? 10000
        tiesWordEmbeddings = json["tie_word_embeddings"]?.boolValue ?? false

        guard attentionHeadCount % keyValueHeadCount == 0 else {
            throw .invalidConfiguration(path: path, message: "num_attention_heads (\(attentionHeadCount)) is not a multiple of num_key_value_heads (\(keyValueHeadCount))")
        }
        guard headDimension % 2 == 0 else {
            throw .invalidConfiguration(path: path, message: "head_dim (\(headDimension)) must be even for rotary embeddings")
        }
        if let activation = json["hidden_act"]?.stringValue, activation != "silu" {
            throw .unsupportedConfiguration(path: path, field: "hidden_act", found: activation)
        }
        if json["attention_bias"]?.boolValue == true {
            throw .unsupportedConfiguration(path: path, field: "attention_bias", found: "true")
        }
        if json["use_sliding_window"]?.boolValue == true {
            throw .unsupportedConfiguration(path: path, field: "use_sliding_window", found: "true")
        }
        let scaling = json["rope_scaling"]?.objectValue != nil ? json["rope_scaling"] : ropeParameters
        if let type = (scaling?["rope_type"] ?? scaling?["type"])?.stringValue, type != "default" {
            throw .unsupportedConfiguration(path: path, field: "rope_scaling", found: type)
        }
    }
}
