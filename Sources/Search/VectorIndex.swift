import Engine
import Foundation
import Store
import Synchronization

/// Every stored vector of one model in one memory-resident fp32 matrix, scanned exactly with BLAS.
///
/// Vectors are stored at full dimension; a search at dimension d (MRL) reads the first d values of
/// each row and divides by the norm of that prefix, so results equal those of embedding at d —
/// without re-embedding anything. Prefix norms are cached per dimension.
package final class VectorIndex: Sendable {
    private struct Contents: Sendable {
        var hashes: [Data] = []
        var matrix: [Float] = []
        var dimension = 0
        var prefixNorms: [Int: [Float]] = [:]
        var rowByHash: [Data: Int] = [:]
    }

    package let modelId: Int64
    private let contents = Mutex(Contents())

    package init(modelId: Int64) {
        self.modelId = modelId
    }

    /// Rows currently loaded.
    package var count: Int { contents.withLock { $0.hashes.count } }
    package var dimension: Int { contents.withLock { $0.dimension } }

    /// Loads vectors from the database that are not loaded yet (all of them the first time) and drops
    /// those that are gone. Only hashes are read to find the difference; embeddings are read for new
    /// rows only, straight into the matrix (no per-row arrays), so a refresh after indexing is cheap.
    package func refresh(from database: AppDatabase) throws {
        let known = contents.withLock { $0.rowByHash }
        let present = try database.vectorHashes(modelId: modelId)
        let removed = known.keys.contains { !present.contains($0) }
        let missing = present.filter { known[$0] == nil }
        var addedHashes: [Data] = []
        var addedMatrix: [Float] = []
        var addedDimension = contents.withLock { $0.dimension }
        if !missing.isEmpty {
            let wholeTable = missing.count > 2000 || known.isEmpty
            if wholeTable { addedMatrix.reserveCapacity(missing.count * max(addedDimension, 1024)) }
            try database.forEachVector(modelId: modelId, among: missing, wholeTable: wholeTable) { hash, bytes in
                let width = bytes.count / MemoryLayout<Float>.size
                if addedDimension == 0 { addedDimension = width }
                guard width == addedDimension else { return }
                addedHashes.append(hash)
                addedMatrix.append(contentsOf: bytes.bindMemory(to: Float.self))
            }
        }
        contents.withLock { contents in
            if removed {
                // Rebuild without the vectors that are gone.
                let keep = contents.hashes.enumerated().filter { present.contains($0.element) }
                var matrix: [Float] = []
                matrix.reserveCapacity(keep.count * contents.dimension)
                for (row, _) in keep {
                    matrix += contents.matrix[row * contents.dimension..<(row + 1) * contents.dimension]
                }
                contents.hashes = keep.map(\.element)
                contents.matrix = matrix
            }
            if !addedHashes.isEmpty, contents.dimension == 0 || contents.dimension == addedDimension {
                contents.dimension = addedDimension
                contents.hashes += addedHashes
                contents.matrix += addedMatrix
            }
            if removed || !addedHashes.isEmpty {
                contents.rowByHash = Dictionary(uniqueKeysWithValues: contents.hashes.enumerated().map { ($1, $0) })
                contents.prefixNorms = [:]
            }
        }
    }

    /// The stored full-dimension vector of a chunk content, if loaded.
    package func vector(for contentHash: Data) -> [Float]? {
        contents.withLock { contents in
            guard let row = contents.rowByHash[contentHash] else { return nil }
            return Array(contents.matrix[row * contents.dimension..<(row + 1) * contents.dimension])
        }
    }

    /// The `limit` stored vectors most similar to `query` (full-dimension, any norm) at `dimensions`.
    /// With `within`, only those contents are scored (filters apply before the top `limit`, not after).
    package func search(_ query: [Float], dimensions requested: Int?, limit: Int, within: Set<Data>? = nil) -> [(hash: Data, score: Float)] {
        contents.withLock { contents in
            let rows = contents.hashes.count
            guard rows > 0, limit > 0, query.count >= contents.dimension else { return [] }
            let dimensions = min(requested ?? contents.dimension, contents.dimension)
            var normalizedQuery = Array(query.prefix(dimensions))
            let queryNorm = normalizedQuery.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard queryNorm > 0 else { return [] }
            for index in normalizedQuery.indices { normalizedQuery[index] /= queryNorm }
            let norms = prefixNorms(&contents, dimensions: dimensions)
            if let within {
                let width = contents.dimension
                let selected = within.compactMap { contents.rowByHash[$0] }.sorted()
                if selected.count > rows / 8 {
                    // A filter keeping much of the index (`ext:md`): the whole-matrix scan (BLAS, both cores) and a
                    // mask cost less than a row-by-row loop over the kept rows (half of 100,000 rows: 3.3× the query).
                    var scores = contents.matrix.withUnsafeBufferPointer { matrix in
                        VectorMath.dotProducts(matrix: matrix, rows: rows, stride: contents.dimension, query: normalizedQuery)
                    }
                    var kept = [Bool](repeating: false, count: rows)
                    for row in selected { kept[row] = true }
                    for row in 0..<rows { scores[row] = kept[row] ? scores[row] / max(norms[row], 1e-12) : -.infinity }
                    return Self.topIndices(scores, limit: min(limit, selected.count)).map { (contents.hashes[$0], scores[$0]) }
                }
                let scores = contents.matrix.withUnsafeBufferPointer { matrix in
                    selected.map { row -> Float in
                        var dot: Float = 0
                        for column in 0..<dimensions { dot += matrix[row * width + column] * normalizedQuery[column] }
                        return dot / max(norms[row], 1e-12)
                    }
                }
                return Self.topIndices(scores, limit: limit).map { (contents.hashes[selected[$0]], scores[$0]) }
            }
            var scores = contents.matrix.withUnsafeBufferPointer { matrix in
                VectorMath.dotProducts(matrix: matrix, rows: rows, stride: contents.dimension, query: normalizedQuery)
            }
            for row in 0..<rows { scores[row] /= max(norms[row], 1e-12) }
            return Self.topIndices(scores, limit: limit).map { (contents.hashes[$0], scores[$0]) }
        }
    }

    private func prefixNorms(_ contents: inout Contents, dimensions: Int) -> [Float] {
        if let cached = contents.prefixNorms[dimensions] { return cached }
        let rows = contents.hashes.count
        let width = contents.dimension
        var norms = [Float](repeating: 0, count: rows)
        contents.matrix.withUnsafeBufferPointer { matrix in
            for row in 0..<rows {
                var sum: Float = 0
                let base = row * width
                for column in 0..<dimensions { sum += matrix[base + column] * matrix[base + column] }
                norms[row] = sum.squareRoot()
            }
        }
        contents.prefixNorms[dimensions] = norms
        return norms
    }

    /// Indices of the `limit` largest scores, best first (ties by row order).
    static func topIndices(_ scores: [Float], limit: Int) -> [Int] {
        guard scores.count > limit else {
            return scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        }
        // A min-heap of the best `limit` seen so far.
        var heap: [Int] = []
        heap.reserveCapacity(limit)
        func worse(_ a: Int, _ b: Int) -> Bool { scores[a] < scores[b] || (scores[a] == scores[b] && a > b) }
        for index in scores.indices {
            if heap.count < limit {
                heap.append(index)
                var child = heap.count - 1
                while child > 0, worse(heap[child], heap[(child - 1) / 2]) {
                    heap.swapAt(child, (child - 1) / 2)
                    child = (child - 1) / 2
                }
            } else if worse(heap[0], index) {
                heap[0] = index
                var parent = 0
                while true {
                    let left = 2 * parent + 1, right = left + 1
                    var smallest = parent
                    if left < heap.count, worse(heap[left], heap[smallest]) { smallest = left }
                    if right < heap.count, worse(heap[right], heap[smallest]) { smallest = right }
                    if smallest == parent { break }
                    heap.swapAt(parent, smallest)
                    parent = smallest
                }
            }
        }
        return heap.sorted { worse($1, $0) }
    }
}
