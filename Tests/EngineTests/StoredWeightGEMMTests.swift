import Foundation
import Testing
import CKernels
@testable import Engine

/// exact on weights kept in bf16 (issue #26): many rows widen tiles for sgemm, few rows (a query) run our
/// kernel that widens in registers; every path and kernel agrees with a double-precision product.
@Suite("Stored-weight GEMM")
struct StoredWeightGEMMTests {
    @Test("Given a 600 × 1,030 bf16 weight, when multiplied tile by tile on two workers and on the matrix widened at load, then both agree with a double-precision product, and with each other but for summation order")
    func tilesMatchWidenedAtLoad() throws {
        let (rows, columns, outputs) = (100, 1_030, 600)
        var generator = SplitMix64(seed: 7)
        let weightBits = (0..<outputs * columns).map { _ in
            UInt16(truncatingIfNeeded: Float(generator.nextUnitInterval() * 2 - 1).bitPattern >> 16)
        }
        let input = (0..<rows * columns).map { _ in Float(generator.nextUnitInterval() * 2 - 1) }
        let folder = NSTemporaryDirectory() + "qwery-stored-gemm-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // An odd-sized tensor before it, so the bf16 data starts at an unaligned offset.
        let pad = Data([0x00, 0x3F, 0x80])
        let bytes = weightBits.withUnsafeBufferPointer { Data(buffer: $0) }
        try SafetensorsWriter().fileContents([.init(name: "pad", dataType: .bfloat16, shape: [1], bytes: pad.prefix(2)),
                                              .init(name: "w", dataType: .bfloat16, shape: [outputs, columns], bytes: bytes)])
            .write(to: URL(fileURLWithPath: folder + "/model.safetensors"))
        let tensor = try #require(try Checkpoint(folder: folder).tensor("w"))

        func product(_ weight: LinearWeight, tileFloats: Int, rows: Int = rows, kernel: FastKernel = .automatic) -> [Float] {
            var output = [Float](repeating: 0, count: rows * outputs)
            var scratch = [Float](repeating: 0, count: max(1, tileFloats))
            input.withUnsafeBufferPointer { source in
                output.withUnsafeMutableBufferPointer { target in
                    scratch.withUnsafeMutableBufferPointer { tile in
                        Kernels.linear(source.baseAddress!, rows: rows, inputWidth: columns, weight: weight, output: target.baseAddress!,
                                       scratch: tile.baseAddress!, scratchCount: tileFloats, kernel: kernel, workers: 2)
                    }
                }
            }
            return output
        }
        var reference = [Double](repeating: 0, count: rows * outputs)
        for row in 0..<rows {
            for output in 0..<outputs {
                var sum = 0.0
                for column in 0..<columns {
                    sum += Double(input[row * columns + column]) * Double(Float(bitPattern: UInt32(weightBits[output * columns + column]) << 16))
                }
                reference[row * outputs + output] = sum
            }
        }
        func worst(_ values: [Float]) -> Double { zip(values, reference).map { abs(Double($0) - $1) }.max() ?? 0 }
        let widened = product(LinearWeight(tensor, convert: true, pack: false), tileFloats: 0)
        #expect(worst(widened) <= 1e-4)
        for tileFloats in [columns * 7, columns * 64, columns * 600] {
            let tiled = product(LinearWeight(tensor, convert: false, pack: false), tileFloats: tileFloats)
            // Only the summation order differs from sgemm on the widened matrix (different tile widths take
            // different kernel paths): both are fp32 sums of the same exact products.
            #expect(worst(tiled) <= 1e-4, "tiles of \(tileFloats / columns) rows: worst difference from double \(worst(tiled))")
            #expect(worst(tiled) <= 2 * worst(widened) + 1e-5)
        }
        // A query's rows: our kernel, each one this CPU has, forced (the first 17 rows of the same input).
        let queryRows = 17
        func worstQuery(_ values: [Float]) -> Double {
            zip(values.prefix(queryRows * outputs), reference.prefix(queryRows * outputs)).map { abs(Double($0) - $1) }.max() ?? 0
        }
        for kernel in [FastKernel.avx512BF16, .avx2, .portable] {
            let runs = Int(qwery_bf16_weights_kernel(kernel.rawValue))
            if kernel != .portable && runs == Int(QWERY_KERNEL_PORTABLE.rawValue) {
                print("bf16-weight kernel \(kernel) is not on this CPU; skipped")
                continue
            }
            let query = product(LinearWeight(tensor, convert: false, pack: false), tileFloats: columns * 64, rows: queryRows, kernel: kernel)
            #expect(worstQuery(query) <= 1e-4, "\(kernel): worst difference from double \(worstQuery(query))")
        }
        // Widening is exact: every value is the bf16 bits in the top half.
        var first = [Float](repeating: 0, count: 5)
        tensor.convert(start: 3, count: 5, into: &first)
        #expect(first.map { UInt16($0.bitPattern >> 16) } == Array(weightBits[3..<8]))
        #expect(first.allSatisfy { $0.bitPattern & 0xFFFF == 0 })
    }
}
