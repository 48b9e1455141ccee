import Foundation

/// Writes a random-weight checkpoint of a given shape in Hugging Face layout (bf16 safetensors),
/// for benchmarks: compute does not depend on the weight values. Deterministic for a seed.
package enum RandomCheckpoint {
    /// Creates `folder` with config.json, model.safetensors and a copy of `tokenizer`.
    /// Norm weights are drawn around 1, matrices uniformly with standard deviation 0.02.
    package static func write(shape: ModelShape, to folder: String, tokenizer: String?, seed: UInt64 = 0x5157_4552_59) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temporary = folder + "/model.safetensors.partial"
        _ = manager.createFile(atPath: temporary, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: temporary) else {
            throw EngineError.unreadableFile(path: temporary, reason: "cannot create it")
        }
        let tensors = shape.tensors
        // The header (each bf16 tensor's offsets, in order), then the data streamed block by block.
        try handle.write(contentsOf: SafetensorsWriter.header(tensors.map { ($0.name, .bfloat16, $0.shape, $0.shape.reduce(1, *) * 2) }))

        var generator = SplitMix64(seed: seed)
        let blockElements = 1 << 20
        var block = [UInt16](repeating: 0, count: blockElements)
        for tensor in tensors {
            let isNorm = tensor.shape.count == 1
            var remaining = tensor.shape.reduce(1, *)
            while remaining > 0 {
                let count = min(remaining, blockElements)
                for index in 0..<count {
                    let uniform = generator.nextUnitInterval() * 2 - 1
                    let value: Float = isNorm ? 1 + 0.25 * uniform : 0.0346 * uniform  // 0.02 · √3
                    block[index] = bfloat16Bits(value)
                }
                try block.withUnsafeBytes { raw in
                    try handle.write(contentsOf: Data(raw.prefix(count * 2)))
                }
                remaining -= count
            }
        }
        try handle.close()
        let destination = folder + "/model.safetensors"
        if manager.fileExists(atPath: destination) { try manager.removeItem(atPath: destination) }
        try manager.moveItem(atPath: temporary, toPath: destination)
        try shape.configurationJSON.write(toFile: folder + "/config.json", atomically: true, encoding: .utf8)
        guard let tokenizer else { return }  // calibration's one-layer checkpoints run on ids alone
        let tokenizerDestination = folder + "/tokenizer.json"
        if manager.fileExists(atPath: tokenizerDestination) { try manager.removeItem(atPath: tokenizerDestination) }
        try manager.copyItem(atPath: tokenizer, toPath: tokenizerDestination)
    }

    /// fp32 → bf16 with round-to-nearest-even (values here are finite).
    static func bfloat16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let rounding = 0x7FFF + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
    }
}

/// SplitMix64: a small, fast, well-mixed deterministic generator (bench checkpoints, bench indexes).
package struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    package init(seed: UInt64) {
        state = seed
    }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// A uniform value in [0, 1).
    mutating func nextUnitInterval() -> Float {
        Float(next() >> 40) / Float(1 << 24)
    }
}
