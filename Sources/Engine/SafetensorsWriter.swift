import Foundation

/// Writes tensors as a safetensors file (header JSON, then the data, 8-byte aligned).
///
/// Used to generate benchmark checkpoints and broken-checkpoint test cases; the engine itself only reads.
package struct SafetensorsWriter {
    /// One tensor to write: its raw little-endian bytes must match `dataType` and `shape`.
    package struct Entry {
        package let name: String
        package let dataType: TensorDataType
        package let shape: [Int]
        package let bytes: Data

        package init(name: String, dataType: TensorDataType, shape: [Int], bytes: Data) {
            self.name = name
            self.dataType = dataType
            self.shape = shape
            self.bytes = bytes
        }
    }

    package init() {}

    /// The complete file contents for `entries`, in the given order.
    package func fileContents(_ entries: [Entry], metadata: [String: String] = ["format": "pt"]) -> Data {
        var data = Self.header(entries.map { ($0.name, $0.dataType, $0.shape, $0.bytes.count) }, metadata: metadata)
        for entry in entries { data.append(entry.bytes) }
        return data
    }

    /// The 8-byte length and the JSON header (padded to 8 bytes) for tensors of `byteCount` bytes each, laid
    /// out in the given order: what precedes the data, for writers that stream the data themselves.
    package static func header(_ tensors: [(name: String, dataType: TensorDataType, shape: [Int], byteCount: Int)],
                               metadata: [String: String] = ["format": "pt"]) -> Data {
        var header = "{"
        if !metadata.isEmpty {
            header += "\"__metadata__\":{" + metadata.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",") + "},"
        }
        var offset = 0
        header += tensors.map { tensor in
            defer { offset += tensor.byteCount }
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            return "\"\(tensor.name)\":{\"dtype\":\"\(tensor.dataType.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + tensor.byteCount)]}"
        }.joined(separator: ",")
        header += "}"
        while (8 + header.utf8.count) % 8 != 0 { header += " " }
        var data = Data()
        var length = UInt64(header.utf8.count).littleEndian
        withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
        data.append(contentsOf: header.utf8)
        return data
    }
}
