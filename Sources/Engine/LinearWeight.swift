import Foundation

/// A projection matrix `(outputs, inputs)`: either converted to fp32 once at load, or kept in its
/// stored precision (memory-mapped) and converted tile by tile as each forward pass needs it.
///
/// Converting at load doubles (bf16) the weight memory but saves the conversion per pass — right
/// for small models and short queries. On-the-fly tiles keep 4B/8B checkpoints within memory.
struct LinearWeight: Sendable {
    let tensor: StoredTensor
    let dense: FloatMatrix?
    /// The bf16 panels of the fast precision.
    let packed: PackedWeight?
    /// The int8 panels of the int8 precision.
    let quantized: QuantizedWeight?

    var rows: Int { tensor.shape[0] }
    var columns: Int { tensor.shape[1] }

    init(_ tensor: StoredTensor, convert: Bool, pack: Bool, quantize: Bool = false) {
        self.tensor = tensor
        dense = convert && !pack && !quantize ? FloatMatrix(tensor) : nil
        packed = pack ? PackedWeight(tensor) : nil
        quantized = quantize ? QuantizedWeight(tensor) : nil
    }
}

/// Whether weights are converted to fp32 at load or tile by tile during each pass.
package enum WeightConversion: Sendable, Equatable {
    /// Weights stored in bf16/f16 stay so and are widened tile by tile (half the memory; measured no slower
    /// for documents and faster for queries, README Performance); fp32 weights are copied at load when they
    /// fit the budget, else converted on the fly.
    case automatic
    case atLoad
    case onTheFly

    /// fp32 weight bytes allowed in memory with `.automatic`: a quarter of physical memory, at most 4 GB.
    static var automaticBudget: Int {
        let physical = Int(ProcessInfo.processInfo.physicalMemory)
        return min(physical / 4, 4 << 30)
    }

    func convertsAtLoad(fp32Bytes: Int, storedIn16Bits: Bool) -> Bool {
        switch self {
        case .atLoad: return true
        case .onTheFly: return false
        case .automatic: return !storedIn16Bits && fp32Bytes <= Self.automaticBudget
        }
    }
}
