import Foundation
import Store

/// Why "more like this" cannot answer.
package enum SimilarError: Error, Equatable, CustomStringConvertible {
    case notIndexed(path: String)
    case noChunkAtLine(path: String, line: Int, lines: ClosedRange<Int>)
    case noVectors(path: String)

    package var description: String {
        switch self {
        case .notIndexed(let path):
            return "\(path) is not in the index (or has no text chunks). Index its folder first: qwery index FOLDER."
        case .noChunkAtLine(let path, let line, let lines):
            return "No chunk of \(path) covers line \(line); its chunks cover lines \(lines.lowerBound)–\(lines.upperBound)."
        case .noVectors(let path):
            return "\(path) has no vectors yet: it is waiting to be embedded (qwery index with a model), or no embedding model is set."
        }
    }
}

extension SearchService {
    /// The chunks nearest to a stored chunk (the one covering `line`) or, without a line, to the mean of a
    /// file's chunk vectors — the source left out. Nothing is embedded, so it answers in milliseconds.
    package func similar(path: String, line: Int?, options: Options) throws -> [SearchResult] {
        let chunks = try database.chunks(path: path)
        guard let first = chunks.first, let last = chunks.last else { throw SimilarError.notIndexed(path: path) }
        let sources: [ChunkRow]
        if let line {
            guard let covering = chunks.first(where: { $0.startLine <= line && line <= $0.endLine }) else {
                throw SimilarError.noChunkAtLine(path: path, line: line, lines: first.startLine...max(first.startLine, last.endLine))
            }
            sources = [covering]
        } else {
            sources = chunks
        }
        let stored = sources.compactMap { vectors?.vector(for: $0.contentHash) }
        guard let width = stored.first?.count else { throw SimilarError.noVectors(path: path) }
        var mean = [Float](repeating: 0, count: width)
        for vector in stored where vector.count == width {
            for index in 0..<width { mean[index] += vector[index] }
        }
        // The source's own contents are left out (a file's duplicates elsewhere stay in).
        let excluded = Set(sources.map(\.id))
        var candidates = options
        candidates.candidates = options.candidates + sources.count
        let hits = try semanticHits(mean, options: candidates).filter { !excluded.contains($0.chunkId) }
        return try assemble(lexical: [], semantic: Array(hits.prefix(options.candidates)), options: options)
    }
}
