import CBLAS
import CKernels
import Foundation

/// One sequence's attention, shared by the threads that each take some of its heads.
struct AttentionJob {
    let query: UnsafePointer<Float>
    let keys: UnsafePointer<Float>
    let values: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let scores: UnsafeMutablePointer<Float>
    let scoresPerWorker: Int
    let length: Int
    let contextLength: Int
    let headDimension: Int
    let queryWidth: Int
    let keyValueWidth: Int
    let queriesPerKeyValueHead: Int

    static let blockRows = 128

    /// One head in fp32: softmax(q·kᵀ/√d)·v, block by block.
    func run(head: Int, scores: UnsafeMutablePointer<Float>) {
        let keyValueHead = head / queriesPerKeyValueHead
        for firstRow in stride(from: 0, to: length, by: Self.blockRows) {
            let rows = min(Self.blockRows, length - firstRow)
            let width = logits(head: head, firstRow: firstRow, rows: rows, into: scores)
            for row in 0..<rows {
                Kernels.causalSoftmax(scores, row: row, width: width, visible: contextLength + firstRow + row + 1)
            }
            qwery_sgemm(QWERY_BLAS_ROW_MAJOR, QWERY_BLAS_NO_TRANS, QWERY_BLAS_NO_TRANS, Int32(rows), Int32(headDimension), Int32(width),
                        1, scores, Int32(width), values + keyValueHead * headDimension, Int32(keyValueWidth),
                        0, output + firstRow * queryWidth + head * headDimension, Int32(queryWidth))
        }
    }

    /// The query heads of one key/value head with probabilities × values in bf16 products (fast
    /// precision); the values are packed once for the whole group.
    func runBFloat16(keyValueHead: Int, scores: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<UInt16>,
                     kernel: FastKernel) {
        let count = contextLength + length
        let packedValues = scratch
        let probabilities = scratch + qwery_packed_count(Int32(headDimension), Int32(count))
        qwery_pack_values_bf16(values + keyValueHead * headDimension, Int32(count), Int32(keyValueWidth),
                               Int32(headDimension), packedValues, kernel.rawValue)
        for firstRow in stride(from: 0, to: length, by: Self.blockRows) {
            let rows = min(Self.blockRows, length - firstRow)
            for head in (keyValueHead * queriesPerKeyValueHead)..<((keyValueHead + 1) * queriesPerKeyValueHead) {
                let width = logits(head: head, firstRow: firstRow, rows: rows, into: scores)
                qwery_attend_values_bf16(scores, Int32(rows), Int32(width), Int32(contextLength + firstRow), packedValues,
                                         Int32(count), Int32(headDimension), probabilities,
                                         output + firstRow * queryWidth + head * headDimension, Int32(queryWidth), kernel.rawValue)
            }
        }
    }

    /// q·kᵀ/√d of `rows` queries from `firstRow` against every key they can see; returns that width.
    private func logits(head: Int, firstRow: Int, rows: Int, into scores: UnsafeMutablePointer<Float>) -> Int {
        let keyValueHead = head / queriesPerKeyValueHead
        let width = contextLength + firstRow + rows
        qwery_sgemm(QWERY_BLAS_ROW_MAJOR, QWERY_BLAS_NO_TRANS, QWERY_BLAS_TRANS, Int32(rows), Int32(width), Int32(headDimension),
                    1 / Float(headDimension).squareRoot(), query + firstRow * queryWidth + head * headDimension,
                    Int32(queryWidth), keys + keyValueHead * headDimension, Int32(keyValueWidth), 0, scores, Int32(width))
        return width
    }
}
