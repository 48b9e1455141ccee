import CBLAS

/// Dense vector arithmetic shared with the search layer, so only the engine talks to BLAS.
package enum VectorMath {
    /// `scores[r] = Σ_c matrix[r * stride + c] · query[c]` for c < `query.count`: sgemv over a row-major
    /// matrix, in blocks of rows spread over every core (the scan is bound by memory bandwidth, which
    /// one core cannot use up alone).
    package static func dotProducts(matrix: UnsafeBufferPointer<Float>, rows: Int, stride: Int, query: [Float]) -> [Float] {
        var scores = [Float](repeating: 0, count: rows)
        guard rows > 0, let base = matrix.baseAddress else { return scores }
        let blockRows = 2048
        let blocks = (rows + blockRows - 1) / blockRows
        scores.withUnsafeMutableBufferPointer { output in
            guard let outputBase = output.baseAddress else { return }
            let output = Shared(outputBase)  // each block writes only its own rows
            query.withUnsafeBufferPointer { vector in
                guard let vectorBase = vector.baseAddress else { return }
                ThreadPool.run(blocks) { block in
                    let first = block * blockRows
                    let count = min(blockRows, rows - first)
                    cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(count), Int32(vector.count), 1, base + first * stride,
                                Int32(stride), vectorBase, 1, 0, output.value + first, 1)
                }
            }
        }
        return scores
    }
}
