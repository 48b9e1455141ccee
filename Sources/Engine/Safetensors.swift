import CKernels
import Tokenizers

/// How a tensor's elements are stored.
package enum TensorDataType: String, Sendable {
    case bfloat16 = "BF16"
    case float16 = "F16"
    case float32 = "F32"

    var byteCount: Int {
        switch self {
        case .bfloat16, .float16: return 2
        case .float32: return 4
        }
    }
}

/// One tensor inside a memory-mapped safetensors file.
struct StoredTensor: Sendable {
    let name: String
    let dataType: TensorDataType
    let shape: [Int]
    let file: MappedFile
    let byteOffset: Int

    var elementCount: Int { shape.reduce(1, *) }

    /// The raw bf16 data (memory-mapped, any alignment), nil for other types.
    var bfloat16Data: UnsafeRawPointer? {
        dataType == .bfloat16 ? UnsafeRawPointer(file.base + byteOffset) : nil
    }

    /// Converts `count` elements starting at element `start` to fp32 into `destination`.
    func convert(start: Int, count: Int, into destination: UnsafeMutablePointer<Float>) {
        precondition(start >= 0 && start + count <= elementCount, "tensor \(name): elements out of range")
        let base = file.base + byteOffset
        switch dataType {
        case .float32:
            // Unaligned-safe copy: safetensors data offsets need not be 4-byte aligned.
            UnsafeMutableRawPointer(destination).copyMemory(from: base + start * 4, byteCount: count * 4)
        case .bfloat16:
            qwery_widen_bf16(base + start * 2, destination, count)
        case .float16:
            let source = base + start * 2
            for index in 0..<count {
                let bits = source.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)
                destination[index] = Float(Float16(bitPattern: bits))
            }
        }
    }

    /// The whole tensor as fp32.
    func floats() -> [Float] {
        [Float](unsafeUninitializedCapacity: elementCount) { buffer, initialized in
            if let base = buffer.baseAddress { convert(start: 0, count: elementCount, into: base) }
            initialized = elementCount
        }
    }
}

/// Reads the header of a safetensors file: an 8-byte little-endian length, then a JSON table of
/// tensors with dtype, shape and data offsets relative to the end of the header.
enum SafetensorsReader {
    static func tensors(in file: MappedFile) throws(EngineError) -> [String: StoredTensor] {
        let bytes = file.bytes
        guard bytes.count >= 8 else {
            throw .invalidSafetensors(path: file.path, message: "shorter than the 8-byte header length")
        }
        let headerLength = Int(UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self)))
        guard headerLength > 0, headerLength <= bytes.count - 8, headerLength < 100_000_000 else {
            throw .invalidSafetensors(path: file.path, message: "header length \(headerLength) does not fit in a \(bytes.count)-byte file")
        }
        let header: JSONValue
        do {
            header = try JSONParser.parse(UnsafeBufferPointer(start: (file.base + 8).assumingMemoryBound(to: UInt8.self), count: headerLength))
        } catch {
            throw .invalidSafetensors(path: file.path, message: "the header is not valid JSON (\(error))")
        }
        guard let entries = header.objectValue else {
            throw .invalidSafetensors(path: file.path, message: "the header is not a JSON object")
        }
        let dataStart = 8 + headerLength
        var tensors: [String: StoredTensor] = [:]
        for (name, entry) in entries where name != "__metadata__" {
            guard let dtypeName = entry["dtype"]?.stringValue,
                  let shape = entry["shape"]?.arrayValue?.map({ $0.intValue ?? -1 }),
                  let offsets = entry["data_offsets"]?.arrayValue?.compactMap(\.intValue), offsets.count == 2,
                  shape.allSatisfy({ $0 >= 0 }) else {
                throw .invalidSafetensors(path: file.path, message: "tensor \(name) lacks a dtype, shape or data_offsets")
            }
            guard let dataType = TensorDataType(rawValue: dtypeName) else {
                throw .unsupportedDataType(path: file.path, tensor: name, dataType: dtypeName)
            }
            // A hostile or damaged header can name a shape whose size overflows: say so instead of trapping.
            var expectedBytes = dataType.byteCount
            for dimension in shape {
                let (product, overflow) = expectedBytes.multipliedReportingOverflow(by: dimension)
                guard !overflow else {
                    throw .invalidSafetensors(path: file.path, message: "tensor \(name) has shape \(shape), larger than any file can hold")
                }
                expectedBytes = product
            }
            guard offsets[1] - offsets[0] == expectedBytes, offsets[0] >= 0 else {
                throw .invalidSafetensors(path: file.path, message: "tensor \(name) spans \(offsets[1] - offsets[0]) bytes but its shape \(shape) needs \(expectedBytes)")
            }
            guard dataStart + offsets[1] <= bytes.count else {
                throw .truncatedTensor(path: file.path, tensor: name, expectedEnd: dataStart + offsets[1], fileSize: bytes.count)
            }
            tensors[name] = StoredTensor(name: name, dataType: dataType, shape: shape, file: file, byteOffset: dataStart + offsets[0])
        }
        return tensors
    }
}
