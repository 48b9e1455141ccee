import CKernels
import Foundation

/// A projection matrix in bf16, packed once into the panels the fast kernels stream.
/// Written only while loading, read-only afterwards (see `Shared`).
final class PackedWeight: Sendable {
    let rows: Int
    let columns: Int
    private let storage: Shared<UnsafeMutablePointer<UInt16>>
    var values: UnsafeMutablePointer<UInt16> { storage.value }
    let panels: Int

    /// Packs a stored tensor; F16/F32 values are rounded to bf16 first.
    init(_ tensor: StoredTensor) {
        rows = tensor.shape[0]
        columns = tensor.shape[1]
        panels = (rows + 15) / 16
        let count = qwery_packed_count(Int32(rows), Int32(columns))
        storage = Shared(.allocate(capacity: count))
        let elements = rows * columns
        let bfloat16 = UnsafeMutablePointer<UInt16>.allocate(capacity: elements)
        defer { bfloat16.deallocate() }
        if tensor.dataType == .bfloat16 {
            UnsafeMutableRawPointer(bfloat16).copyMemory(from: tensor.file.base + tensor.byteOffset, byteCount: elements * 2)
        } else {
            let floats = UnsafeMutablePointer<Float>.allocate(capacity: elements)
            defer { floats.deallocate() }
            tensor.convert(start: 0, count: elements, into: floats)
            qwery_f32_to_bf16(floats, bfloat16, elements)
        }
        qwery_pack_bf16(bfloat16, Int32(rows), Int32(columns), values)
    }

    deinit {
        values.deallocate()
    }

    /// Bytes held.
}

/// The buffers of one GEMM, shared by its threads: each writes only its own output columns.
private struct Buffers: Sendable {
    private let shared: Shared<(input: UnsafePointer<UInt16>, output: UnsafeMutablePointer<Float>)>
    var input: UnsafePointer<UInt16> { shared.value.input }
    var output: UnsafeMutablePointer<Float> { shared.value.output }

    init(input: UnsafePointer<UInt16>, output: UnsafeMutablePointer<Float>) {
        shared = Shared((input, output))
    }
}

/// Runs bf16 GEMMs on every core: output columns (panels) are split between threads.
enum FastGEMM {
    /// `output[rows, weight.rows] = bf16(input) · weightᵀ`; `scratch` holds the bf16 copy of the input.
    static func linear(_ input: UnsafePointer<Float>, rows: Int, inputWidth: Int, weight: PackedWeight,
                       output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<UInt16>, kernel: FastKernel,
                       workers requested: Int) {
        let stride = (inputWidth + 1) & ~1
        for row in 0..<rows {
            qwery_f32_to_bf16(input + row * inputWidth, scratch + row * stride, inputWidth)
            if stride != inputWidth { scratch[row * stride + inputWidth] = 0 }
        }
        let panels = weight.panels
        let buffers = Buffers(input: UnsafePointer(scratch), output: output)
        // Split at even panel indices so the AVX-512 kernel keeps its pairs of panels.
        ThreadPool.runShares(of: panels, workers: min(requested, max(1, panels / 2)), alignment: 2) { _, share in
            qwery_gemm_bf16(buffers.input, Int32(rows), Int32(inputWidth), Int32(stride), weight.values, Int32(weight.rows),
                            buffers.output, Int32(weight.rows), Int32(share.lowerBound), Int32(share.upperBound), kernel.rawValue)
        }
    }
}
