import Foundation
import Testing
@testable import Engine

/// Everything a checkpoint can get wrong must give an error that names the file and tensor.
@Suite("Broken model folders")
struct BrokenCheckpointTests {
    /// A copy of the tiny-embedding fixture in a fresh temporary folder, to be damaged by a test.
    static func copyOfFixture() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-broken-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let source = ModelFixtures.folder("tiny-embedding")
        for name in ["config.json", "model.safetensors", "tokenizer.json"] {
            let resolved = URL(fileURLWithPath: source + "/" + name).resolvingSymlinksInPath().path
            try FileManager.default.copyItem(atPath: resolved, toPath: folder + "/" + name)
        }
        return folder
    }

    static func loadError(_ folder: String) -> EngineError? {
        do {
            _ = try Qwen3Model(folder: folder)
            return nil
        } catch {
            return error
        }
    }

    static func editConfig(_ folder: String, _ edit: (inout String) -> Void) throws {
        var text = try String(contentsOfFile: folder + "/config.json", encoding: .utf8)
        edit(&text)
        try text.write(toFile: folder + "/config.json", atomically: true, encoding: .utf8)
    }

    @Test("Given a safetensors file cut short, when loading, then the error names the file and the tensor past the end")
    func truncatedFile() throws {
        let folder = try Self.copyOfFixture()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/model.safetensors"
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count - 1000).write(to: URL(fileURLWithPath: path))
        let error = try #require(Self.loadError(folder))
        guard case .truncatedTensor(let file, let tensor, _, let size) = error else {
            Issue.record("expected truncatedTensor, got \(error)")
            return
        }
        #expect(file == path)
        #expect(tensor.hasPrefix("embed_tokens") || tensor.hasPrefix("layers.") || tensor == "norm.weight")
        #expect(size == data.count - 1000)
        #expect(error.description.contains(tensor) && error.description.contains("truncated"))
    }

    @Test("Given a header that is not JSON, when loading, then the file is named")
    func badHeader() throws {
        let folder = try Self.copyOfFixture()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/model.safetensors"
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data[9] = UInt8(ascii: "#")
        try data.write(to: URL(fileURLWithPath: path))
        let error = try #require(Self.loadError(folder))
        guard case .invalidSafetensors(let file, let message) = error else {
            Issue.record("expected invalidSafetensors, got \(error)")
            return
        }
        #expect(file == path)
        #expect(message.contains("JSON"))
    }

    @Test("Given config.json disagreeing with a tensor, when loading, then the tensor and both shapes are named")
    func wrongShape() throws {
        let folder = try Self.copyOfFixture()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.editConfig(folder) { $0 = $0.replacingOccurrences(of: "\"intermediate_size\": 40", with: "\"intermediate_size\": 48") }
        let error = try #require(Self.loadError(folder))
        #expect(error == .wrongShape(path: folder + "/model.safetensors", tensor: "layers.0.mlp.gate_proj.weight", expected: [48, 16], found: [40, 16]))
    }

    @Test("Given a checkpoint without a tensor, when loading, then the missing tensor is named")
    func missingTensor() throws {
        let folder = try Self.copyOfFixture()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = try MappedFile(path: folder + "/model.safetensors")
        let tensors = try SafetensorsReader.tensors(in: file)
        let entries = tensors.values.filter { $0.name != "layers.1.self_attn.k_norm.weight" }.sorted { $0.name < $1.name }.map { tensor in
            SafetensorsWriter.Entry(name: tensor.name, dataType: tensor.dataType, shape: tensor.shape,
                                    bytes: Data(bytes: file.base + tensor.byteOffset, count: tensor.elementCount * tensor.dataType.byteCount))
        }
        try SafetensorsWriter().fileContents(entries).write(to: URL(fileURLWithPath: folder + "/model.safetensors"))
        #expect(Self.loadError(folder) == .missingTensor(folder: folder, tensor: "layers.1.self_attn.k_norm.weight"))
    }

    @Test("Given a tensor stored as int8, when loading, then the data type and tensor are named")
    func unsupportedDataType() throws {
        let folder = try Self.copyOfFixture()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let entry = SafetensorsWriter.Entry(name: "norm.weight", dataType: .float32, shape: [16], bytes: Data(count: 64))
        var contents = SafetensorsWriter().fileContents([entry])
        let header = String(decoding: contents, as: UTF8.self)
        let range = try #require(header.range(of: "\"F32\""))
        let offset = header.utf8.distance(from: header.startIndex, to: range.lowerBound)
        contents.replaceSubrange(offset..<offset + 5, with: Array("\"I32\"".utf8))
        try contents.write(to: URL(fileURLWithPath: folder + "/model.safetensors"))
        #expect(Self.loadError(folder) == .unsupportedDataType(path: folder + "/model.safetensors", tensor: "norm.weight", dataType: "I32"))
    }

    @Test("Given a header whose shapes overflow or disagree with the bytes of a large tensor, when loading, then both are named instead of a crash")
    func hugeShapes() throws {
        let folder = try Self.copyOfFixture()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/model.safetensors"
        func write(shape: String, bytes: Int) throws {
            var header = "{\"norm.weight\":{\"dtype\":\"BF16\",\"shape\":\(shape),\"data_offsets\":[0,\(bytes)]}}"
            while (8 + header.utf8.count) % 8 != 0 { header += " " }
            var data = Data()
            var length = UInt64(header.utf8.count).littleEndian
            withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
            data.append(contentsOf: header.utf8)
            data.append(Data(count: 64))
            try data.write(to: URL(fileURLWithPath: path))
        }

        try write(shape: "[4294967296,4294967296,4]", bytes: 64)
        #expect(Self.loadError(folder) == .invalidSafetensors(path: path, message: "tensor norm.weight has shape [4294967296, 4294967296, 4], larger than any file can hold"))
        // The 0.6B embedding table's shape over 64 bytes: both sizes in the message, exact.
        try write(shape: "[151669,1024]", bytes: 64)
        #expect(Self.loadError(folder) == .invalidSafetensors(path: path, message: "tensor norm.weight spans 64 bytes but its shape [151669, 1024] needs 310618112"))
    }

    @Test("Given another architecture's config, when loading, then model_type is named as unsupported")
    func unsupportedModelType() throws {
        let folder = try Self.copyOfFixture()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.editConfig(folder) { $0 = $0.replacingOccurrences(of: "\"qwen3\"", with: "\"llama\"") }
        #expect(Self.loadError(folder) == .unsupportedConfiguration(path: folder + "/config.json", field: "model_type", found: "llama"))
    }

    @Test("Given a folder without weights, when loading, then the missing file is named")
    func missingWeights() throws {
        let folder = try Self.copyOfFixture()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.removeItem(atPath: folder + "/model.safetensors")
        guard case .missingFile(let path, _)? = Self.loadError(folder) else {
            Issue.record("expected missingFile")
            return
        }
        #expect(path == folder + "/model.safetensors")
    }

    @Test("Given a token id beyond the embedding rows, when running, then the error names the folder and says the tokenizer does not match")
    func tokenOutOfRange() throws {
        let model = try #require(ModelFixtures.embedders["tiny-embedding"]).model
        #expect(throws: EngineError.tokenOutOfRange(folder: model.folder, tokenId: 151_669, vocabularySize: 151_669)) {
            try model.lastHiddenStates([[1, 151_669]])
        }
    }
}

/// Checkpoints stored in F32 or F16 load and compute like the bf16 original.
@Suite("Stored precisions")
struct StoredPrecisionTests {
    /// Rewrites the tiny-causal fixture with every tensor converted to `dataType`.
    static func rewritten(as dataType: TensorDataType) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-\(dataType.rawValue)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let source = ModelFixtures.folder("tiny-causal")
        for name in ["config.json", "tokenizer.json"] {
            let resolved = URL(fileURLWithPath: source + "/" + name).resolvingSymlinksInPath().path
            try FileManager.default.copyItem(atPath: resolved, toPath: folder + "/" + name)
        }
        let file = try MappedFile(path: source + "/model.safetensors")
        let entries = try SafetensorsReader.tensors(in: file).values.sorted { $0.name < $1.name }.map { tensor in
            let values = tensor.floats()
            let bytes: Data = dataType == .float32
                ? values.withUnsafeBufferPointer { Data(buffer: $0) }
                : values.map { Float16($0).bitPattern }.withUnsafeBufferPointer { Data(buffer: $0) }
            return SafetensorsWriter.Entry(name: tensor.name, dataType: dataType, shape: tensor.shape, bytes: bytes)
        }
        try SafetensorsWriter().fileContents(entries).write(to: URL(fileURLWithPath: folder + "/model.safetensors"))
        return folder
    }

    @Test("Given the fixture stored as F32 or F16, when embedding, then vectors match the bf16 reference", arguments: [TensorDataType.float32, .float16])
    func precisions(dataType: TensorDataType) throws {
        let folder = try Self.rewritten(as: dataType)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let embedder = try Embedder(folder: folder, precision: .exact)
        for document in try ModelFixtures.expected("tiny-causal").documents.prefix(6) {
            let embedding = try embedder.embed(ids: [document.ids])[0]
            // bf16 values are exact in F32, and in F16 unless they fall below its normal range.
            #expect(Agreement.agrees(embedding, document.embedding))
        }
    }
}
