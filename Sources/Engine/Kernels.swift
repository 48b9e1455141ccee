import CBLAS
import CKernels
import Foundation

/// The numeric building blocks of the forward pass, in fp32 on raw pointers. Matrix products are
/// split across the cores by output columns; each part runs single-threaded BLAS or the bf16
/// kernels, so no two thread pools compete for the two cores.
enum Kernels {
    /// Threads for matrix products (one per core).
    static let threads = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Weight floats each worker widens at most at once for a batch of many rows: 8 MB, a whole share of
    /// the 0.6B model's largest projection (3,072 × 1,024 ÷ 2 workers).
    static let weightTileFloatsPerWorker = 1 << 21
    /// Up to this many rows, a product on bf16 weights is bound by reading them, and runs on our kernel
    /// (`qwery_gemm_bf16_weights`); above, sgemm's blocking wins (measured: README Performance).
    static let smallBatchRows = 48

    /// `output[rows, outputs] = input[rows, inputs] · weightᵀ`: the bf16 kernels for packed weights
    /// (input rounded into `bfloat16`), sgemm on fp32 weights, or sgemm per tile of weight rows
    /// converted into `scratch` (`scratchCount` floats) just before use.
    static func linear(
        _ input: UnsafePointer<Float>, rows: Int, inputWidth: Int, weight: LinearWeight,
        output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, scratchCount: Int,
        bfloat16: UnsafeMutablePointer<UInt16>? = nil, kernel: FastKernel = .automatic, workers requested: Int = threads
    ) {
        precondition(weight.columns == inputWidth, "linear: weight has \(weight.columns) columns, input \(inputWidth)")
        let outputs = weight.rows
        if let quantized = weight.quantized, let bfloat16 {
            Int8GEMM.linear(input, rows: rows, inputWidth: inputWidth, weight: quantized, output: output,
                            scratch: UnsafeMutableRawPointer(bfloat16).assumingMemoryBound(to: UInt8.self),
                            kernel: kernel, workers: requested)
            return
        }
        if let packed = weight.packed, let bfloat16 {
            FastGEMM.linear(input, rows: rows, inputWidth: inputWidth, weight: packed, output: output, scratch: bfloat16,
                            kernel: kernel, workers: requested)
            return
        }
        if let dense = weight.dense {
            let pointers = SharedPointers(input: input, weight: UnsafePointer(dense.values), output: output)
            ThreadPool.runShares(of: outputs, workers: outputs >= 256 ? requested : 1) { _, share in
                let first = share.lowerBound
                qwery_sgemm(QWERY_BLAS_ROW_MAJOR, QWERY_BLAS_NO_TRANS, QWERY_BLAS_TRANS, Int32(rows), Int32(share.count), Int32(inputWidth),
                            1, pointers.input, Int32(inputWidth), pointers.weight + first * inputWidth, Int32(inputWidth),
                            0, pointers.output + first, Int32(outputs))
            }
            return
        }
        // Weights kept as stored (bf16): each worker widens its share tile by tile into its own slice of
        // `scratch` (exact: bf16 is the top half of an fp32) and runs sgemm on it — the same products as sgemm
        // on weights widened at load, at half the memory. Each tile call repacks the whole input, so the tile
        // is the worker's whole share up to `weightTileFloatsPerWorker` (measured: README Performance).
        if rows <= Self.smallBatchRows, let bits = weight.tensor.bfloat16Data {
            // A query: our kernel widens in registers, reading each bf16 weight once and writing nothing.
            let pointers = SharedPointers(input: input, weight: UnsafeRawPointer(bits).assumingMemoryBound(to: Float.self), output: output)
            ThreadPool.runShares(of: outputs, workers: outputs >= 256 ? requested : 1) { _, share in
                qwery_gemm_bf16_weights(pointers.input, Int32(rows), Int32(inputWidth),
                                        UnsafeRawPointer(pointers.weight) + share.lowerBound * inputWidth * 2, Int32(share.count),
                                        Int32(inputWidth), pointers.output + share.lowerBound, Int32(outputs), kernel.rawValue)
            }
            return
        }
        let workers = outputs >= 256 ? min(requested, max(1, scratchCount / inputWidth)) : 1
        let perWorker = scratchCount / workers
        let tileFloats = perWorker
        let pointers = SharedPointers(input: input, weight: UnsafePointer(scratch), output: output)
        ThreadPool.runShares(of: outputs, workers: workers) { worker, share in
            let tile = UnsafeMutablePointer(mutating: pointers.weight) + worker * perWorker
            let tileRows = max(1, min(share.count, tileFloats / inputWidth))
            for firstRow in stride(from: share.lowerBound, to: share.upperBound, by: tileRows) {
                let count = min(tileRows, share.upperBound - firstRow)
                weight.tensor.convert(start: firstRow * inputWidth, count: count * inputWidth, into: tile)
                qwery_sgemm(QWERY_BLAS_ROW_MAJOR, QWERY_BLAS_NO_TRANS, QWERY_BLAS_TRANS, Int32(rows), Int32(count), Int32(inputWidth),
                            1, pointers.input, Int32(inputWidth), tile, Int32(inputWidth), 0, pointers.output + firstRow, Int32(outputs))
            }
        }
    }

    /// RMSNorm of `count` vectors of `width` values (stride `stride`), as transformers' Qwen3RMSNorm:
    /// `x / sqrt(mean(x²) + eps) * weight`.
    static func rmsNorm(
        _ input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
        count: Int, width: Int, stride: Int, weight: UnsafePointer<Float>, epsilon: Float
    ) {
        qwery_rms_norm(input, output, Int32(count), Int32(width), Int32(stride), weight, epsilon)
    }

    /// `gate = silu(gate) * up`, elementwise.
    static func siluMultiply(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        qwery_silu_multiply(gate, up, count)
    }

    /// `target += addend`, elementwise.
    static func add(_ target: UnsafeMutablePointer<Float>, _ addend: UnsafePointer<Float>, count: Int) {
        qwery_add(target, addend, count)
    }

    /// Softmax of row `row` of a score matrix over its first `visible` entries (causal mask); the
    /// rest become 0.
    static func causalSoftmax(_ scores: UnsafeMutablePointer<Float>, row: Int, width: Int, visible: Int) {
        qwery_softmax_prefix(scores + row * width, Int32(visible), Int32(width))
    }
}

/// Pointers shared by the threads of one matrix product; each thread writes only its own columns.
struct SharedPointers: Sendable {
    private let shared: Shared<(input: UnsafePointer<Float>, weight: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>)>
    var input: UnsafePointer<Float> { shared.value.input }
    var weight: UnsafePointer<Float> { shared.value.weight }
    var output: UnsafeMutablePointer<Float> { shared.value.output }

    init(input: UnsafePointer<Float>, weight: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        shared = Shared((input, weight, output))
    }
}
