import CKernels

/// Dense vector arithmetic shared with the search layer (our own kernel: searching loads no OpenBLAS).
package enum VectorMath {
    /// `scores[r] = Σ_c matrix[r * stride + c] · query[c]` for c < `query.count` over a row-major
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
                    qwery_dot_rows(base + first * stride, count, stride, vectorBase, Int32(vector.count), output.value + first)
                }
            }
        }
        return scores
    }
}
