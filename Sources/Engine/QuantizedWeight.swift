import CKernels
import Foundation

/// A projection matrix quantized to int8 (symmetric, one scale per output row) and packed into the
/// panels the int8 kernel streams. Written only while loading, read-only afterwards (see `Shared`).
final class QuantizedWeight: Sendable {
    let rows: Int
    let columns: Int
    let panels: Int
    private let storage: Shared<(values: UnsafeMutablePointer<Int8>, scales: UnsafeMutablePointer<Float>, sums: UnsafeMutablePointer<Int32>)>
    var values: UnsafeMutablePointer<Int8> { storage.value.values }
    /// Per output row (padded to whole panels).
    var scales: UnsafeMutablePointer<Float> { storage.value.scales }
    /// Σ of each output row's quantized values, for the kernel's +128 activation offset.
    var sums: UnsafeMutablePointer<Int32> { storage.value.sums }

    init(_ tensor: StoredTensor) {
        rows = tensor.shape[0]
        columns = tensor.shape[1]
        panels = (rows + 15) / 16
        storage = Shared((.allocate(capacity: qwery_packed_int8_count(Int32(rows), Int32(columns))), .allocate(capacity: panels * 16),
                          .allocate(capacity: panels * 16)))
        let floats = UnsafeMutablePointer<Float>.allocate(capacity: rows * columns)
        defer { floats.deallocate() }
        tensor.convert(start: 0, count: rows * columns, into: floats)
        qwery_pack_int8(floats, Int32(rows), Int32(columns), values, scales, sums)
    }

    deinit {
        values.deallocate()
        scales.deallocate()
        sums.deallocate()
    }
}

/// The buffers of one int8 GEMM, shared by its threads: each writes only its own output columns.
private struct Int8Buffers {
    let input: UnsafePointer<UInt8>
    /// The AVX2 kernel's activation magnitudes (then `input` holds signed values); nil for VNNI and portable.
    let magnitudes: UnsafePointer<UInt8>?
    let scales: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    /// The activation columns kept out of the int8 product (ascending) and their values (rows × count).
    let outliers: UnsafePointer<Int32>
    let outlierCount: Int
    let outlierValues: UnsafePointer<Float>
}

/// Runs int8 GEMMs on every core: output panels are split between threads.
enum Int8GEMM {
    /// At most this share of a projection's input columns runs in fp32 as outliers (the largest ones).
    static func maximumOutliers(inputWidth: Int) -> Int { max(8, inputWidth / 16) }

    /// `output[rows, weight.rows] ≈ input · weightᵀ` with both sides quantized to int8, except the
    /// input's outlier columns (massive activations), which are multiplied in fp32 against the
    /// dequantized weight columns; `scratch` holds the quantized input (rows × inputWidth rounded up to 4 bytes).
    static func linear(_ input: UnsafePointer<Float>, rows: Int, inputWidth: Int, weight: QuantizedWeight,
                       output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<UInt8>, kernel: FastKernel,
                       workers requested: Int) {
        let stride = (inputWidth + 3) & ~3
        let capacity = maximumOutliers(inputWidth: inputWidth)
        let rowScales = UnsafeMutablePointer<Float>.allocate(capacity: max(1, rows))
        let columnScratch = UnsafeMutablePointer<Float>.allocate(capacity: inputWidth)
        let outliers = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        let outlierValues = UnsafeMutablePointer<Float>.allocate(capacity: max(1, rows * capacity))
        defer {
            rowScales.deallocate()
            columnScratch.deallocate()
            outliers.deallocate()
            outlierValues.deallocate()
        }
        let count = Int(qwery_find_outlier_columns(input, Int32(rows), Int32(inputWidth), columnScratch, outliers, Int32(capacity)))
        qwery_quantize_rows_u8_split(input, Int32(rows), Int32(inputWidth), Int32(stride), scratch, rowScales,
                                     outliers, Int32(count), outlierValues, columnScratch)
        // AVX2 takes each activation as sign and magnitude, split once here rather than per panel in the kernel.
        let runs = Int(qwery_int8_kernel(kernel.rawValue))
        let magnitudes: UnsafeMutablePointer<UInt8>? = runs == Int(QWERY_KERNEL_AVX2.rawValue)
            ? .allocate(capacity: max(1, rows * stride)) : nil
        defer { magnitudes?.deallocate() }
        if let magnitudes { qwery_int8_split_for_avx2(scratch, Int32(rows), Int32(stride), magnitudes) }
        let shared = Shared(Int8Buffers(input: UnsafePointer(scratch), magnitudes: magnitudes.map { UnsafePointer($0) },
                                        scales: UnsafePointer(rowScales), output: output,
                                        outliers: UnsafePointer(outliers), outlierCount: count, outlierValues: UnsafePointer(outlierValues)))
        let panels = weight.panels
        // Even panel indices, as the VNNI kernel takes panels in pairs.
        ThreadPool.runShares(of: panels, workers: min(requested, max(1, panels / 2)), alignment: 2) { _, share in
            let buffers = shared.value
            if let magnitudes = buffers.magnitudes {
                UnsafeRawPointer(buffers.input).withMemoryRebound(to: Int8.self, capacity: rows * stride) { signed in
                    qwery_gemm_int8_avx2(signed, magnitudes, Int32(rows), Int32(stride), weight.values, Int32(weight.rows),
                                         Int32(inputWidth), weight.scales, buffers.scales, buffers.output, Int32(weight.rows),
                                         Int32(share.lowerBound), Int32(share.upperBound))
                }
            } else {
                qwery_gemm_int8(buffers.input, Int32(rows), Int32(stride), weight.values, Int32(weight.rows), Int32(inputWidth),
                                weight.scales, weight.sums, buffers.scales, buffers.output, Int32(weight.rows),
                                Int32(share.lowerBound), Int32(share.upperBound), kernel.rawValue)
            }
            guard buffers.outlierCount > 0 else { return }
            withUnsafeTemporaryAllocation(of: Float.self, capacity: share.count * 16) { column in
                guard let columnBase = column.baseAddress else { return }
                qwery_gemm_int8_outliers(buffers.outlierValues, Int32(rows), buffers.outliers, Int32(buffers.outlierCount),
                                         weight.values, Int32(weight.rows), Int32(inputWidth), weight.scales, buffers.output,
                                         Int32(weight.rows), Int32(share.lowerBound), Int32(share.upperBound), columnBase)
            }
        }
    }
}
