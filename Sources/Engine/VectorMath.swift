import CBLAS

/// Dense vector arithmetic shared with the search layer, so only the engine talks to BLAS.
package enum VectorMath {
    /// `scores[r] = Σ_c matrix[r * stride + c] · query[c]` for c < `query.count`: one sgemv over a row-major matrix.
    package static func dotProducts(matrix: UnsafeBufferPointer<Float>, rows: Int, stride: Int, query: [Float]) -> [Float] {
        var scores = [Float](repeating: 0, count: rows)
        guard rows > 0, let base = matrix.baseAddress else { return scores }
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(rows), Int32(query.count), 1, base, Int32(stride), query, 1, 0, &scores, 1)
        return scores
    }
}
