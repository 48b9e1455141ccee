import Foundation
import Tokenizers

/// The tensors of a Hugging Face model folder: `model.safetensors`, or the shards listed in
/// `model.safetensors.index.json`. Names are looked up with and without the `model.` prefix
/// (embedding checkpoints omit it, causal-LM ones such as the rerankers have it).
struct Checkpoint: Sendable {
    let folder: String
    private let tensors: [String: StoredTensor]

    init(folder: String) throws(EngineError) {
        self.folder = folder
        let single = folder + "/model.safetensors"
        let index = folder + "/model.safetensors.index.json"
        var files: [String] = []
        if FileManager.default.fileExists(atPath: index) {
            files = try Self.shardNames(index: index).map { folder + "/" + $0 }
        } else if FileManager.default.fileExists(atPath: single) {
            files = [single]
        } else {
            throw .missingFile(path: single, hint: "A model folder holds model.safetensors or model.safetensors.index.json with its shards.")
        }
        var tensors: [String: StoredTensor] = [:]
        for path in files {
            let file = try MappedFile(path: path)
            for (name, tensor) in try SafetensorsReader.tensors(in: file) {
                tensors[name] = tensor
            }
        }
        self.tensors = tensors
    }

    private static func shardNames(index path: String) throws(EngineError) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableFile(path: path, reason: "cannot open it")
        }
        let json: JSONValue
        do { json = try JSONParser.parse([UInt8](data)) } catch {
            throw .invalidConfiguration(path: path, message: "not valid JSON (\(error))")
        }
        guard let map = json["weight_map"]?.objectValue else {
            throw .invalidConfiguration(path: path, message: "no \"weight_map\" object")
        }
        var names: [String] = []
        for (_, value) in map {
            guard let name = value.stringValue, !name.contains("/") else {
                throw .invalidConfiguration(path: path, message: "weight_map values must be file names in the folder")
            }
            if !names.contains(name) { names.append(name) }
        }
        return names.sorted()
    }

    /// Drops the files' pages from this process's resident memory (they are read again if needed).
    func releaseResidentPages() {
        var released = Set<ObjectIdentifier>()
        for tensor in tensors.values where released.insert(ObjectIdentifier(tensor.file)).inserted {
            tensor.file.releaseResidentPages()
        }
    }

    /// The tensor called `name` (without prefix), found with or without `model.`.
    func tensor(_ name: String) -> StoredTensor? {
        tensors[name] ?? tensors["model." + name] ?? (name.hasPrefix("model.") ? tensors[String(name.dropFirst(6))] : nil)
    }

    /// The tensor called `name`, checked against the shape config.json implies.
    func require(_ name: String, shape: [Int]) throws(EngineError) -> StoredTensor {
        guard let tensor = tensor(name) else {
            throw .missingTensor(folder: folder, tensor: name)
        }
        guard tensor.shape == shape else {
            throw .wrongShape(path: tensor.file.path, tensor: tensor.name, expected: shape, found: tensor.shape)
        }
        return tensor
    }
}
