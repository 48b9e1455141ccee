import Foundation
import GRDB

/// The full-text indexes over chunk text and path.
public enum FullTextIndex: String, Sendable {
    /// `unicode61`, diacritics folded: words.
    case words = "chunk_fts"
    /// `trigram`: text without spaces between words (CJK), and substrings.
    case trigram = "chunk_trigram"
}

/// A chunk with its file path, as search results show it.
public struct ChunkDetail: Sendable, Equatable {
    public let id: Int64
    public let path: String
    public let startLine: Int
    public let endLine: Int
    public let context: String
    public let text: String
    public let contentHash: Data
    /// A document chunk's page or cell ("page", 3).
    public var locatorKind: String?
    public var locatorNumber: Int?
    public var symbol: String?
}

/// The reads search makes: BM25 matches, chunk details, stored vectors. Query text is built by Search.
extension AppDatabase {
    /// (chunk id, BM25 score — higher is better) of the best `limit` matches of an FTS5 expression; text
    /// weighs ten times the path. `within`, a JSON array of chunk ids, restricts the matches before the limit.
    public func fullTextMatches(_ index: FullTextIndex, expression: String, limit: Int, within: String? = nil) throws(StoreError) -> [(chunkId: Int64, score: Double)] {
        let table = index.rawValue
        var arguments: [any DatabaseValueConvertible] = [expression]
        if let within { arguments.append(within) }
        arguments.append(limit)
        return try read("search the full-text index") { db in
            try Row.fetchAll(db, sql: """
                SELECT rowid, bm25(\(table), 1.0, 0.1) AS rank FROM \(table) WHERE \(table) MATCH ?\(within == nil ? "" : Self.withinClause) ORDER BY rank LIMIT ?
                """, arguments: StatementArguments(arguments)).map { ($0[0], -($0[1] as Double)) }
        }
    }

    /// Trigram matches of `long` terms (an FTS5 expression, may be nil) and LIKE substring matches of each
    /// short term (already escaped for LIKE with `\`), restricted by `within` as above.
    public func substringMatches(expression: String?, likePatterns: [String], limit: Int, within: String? = nil) throws(StoreError) -> [(chunkId: Int64, score: Double)] {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let expression {
            conditions.append("chunk_trigram MATCH ?")
            arguments.append(expression)
        }
        for pattern in likePatterns {
            conditions.append("(text LIKE ? ESCAPE '\\' OR path LIKE ? ESCAPE '\\')")
            arguments += [pattern, pattern]
        }
        if let within {
            conditions.append("rowid IN (SELECT value FROM json_each(?))")
            arguments.append(within)
        }
        arguments.append(limit)
        let rank = expression == nil ? "0.0" : "bm25(chunk_trigram, 1.0, 0.1)"
        return try read("search the trigram index") { db in
            try Row.fetchAll(db, sql: """
                SELECT rowid, \(rank) AS rank FROM chunk_trigram WHERE \(conditions.joined(separator: " AND ")) ORDER BY rank LIMIT ?
                """, arguments: StatementArguments(arguments)).map { ($0[0], -($0[1] as Double)) }
        }
    }

    private static let withinClause = " AND rowid IN (SELECT value FROM json_each(?))"

    /// Chunks with their file paths, by id.
    public func chunkDetails(ids: [Int64]) throws(StoreError) -> [Int64: ChunkDetail] {
        try read("read chunks") { db in
            var details: [Int64: ChunkDetail] = [:]
            try ParameterBatches.forEach(ids) { batch, placeholders in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT chunk.id, file.path, chunk.startLine, chunk.endLine, chunk.context, chunk.text, chunk.contentHash,
                           chunk.locatorKind, chunk.locatorNumber, chunk.symbol
                    FROM chunk JOIN file ON file.id = chunk.fileId WHERE chunk.id IN (\(placeholders))
                    """, arguments: StatementArguments(batch))
                for row in rows {
                    let id: Int64 = row[0]
                    details[id] = ChunkDetail(id: id, path: row[1], startLine: row[2], endLine: row[3], context: row[4], text: row[5], contentHash: row[6],
                                              locatorKind: row[7], locatorNumber: row[8], symbol: row[9])
                }
            }
            return details
        }
    }

    /// Where chunks sit — (id, file path, first line, symbols) — in path and line order: the order a query of
    /// filters alone lists them in. Reads no chunk text.
    public func chunkPositions(ids: Set<Int64>) throws(StoreError) -> [(id: Int64, path: String, startLine: Int, symbol: String?)] {
        try read("list chunk positions") { db in
            var positions: [(id: Int64, path: String, startLine: Int, symbol: String?)] = []
            try ParameterBatches.forEach(Array(ids)) { batch, placeholders in
                for row in try Row.fetchAll(db, sql: """
                    SELECT chunk.id, file.path, chunk.startLine, chunk.symbol
                    FROM chunk JOIN file ON file.id = chunk.fileId WHERE chunk.id IN (\(placeholders))
                    """, arguments: StatementArguments(batch)) {
                    positions.append((row[0], row[1], row[2], row[3]))
                }
            }
            return positions.sorted { ($0.path, $0.startLine, $0.id) < ($1.path, $1.startLine, $1.id) }
        }
    }

    /// Content hashes of the searchable vectors of `modelId` (those a chunk uses).
    public func vectorHashes(modelId: Int64) throws(StoreError) -> Set<Data> {
        try read("list vectors") { db in
            try Set(Data.fetchAll(db, sql: "SELECT contentHash FROM vector WHERE modelId = ? AND orphanedAt IS NULL", arguments: [modelId]))
        }
    }

    /// Calls `body` with each stored vector of `modelId` among `hashes` (its raw little-endian float32 bytes),
    /// reading the whole table in one pass when most are wanted, else in batches by hash.
    public func forEachVector(modelId: Int64, among hashes: Set<Data>, wholeTable: Bool,
                              _ body: (Data, UnsafeRawBufferPointer) -> Void) throws(StoreError) {
        try read("read vectors") { db in
            func take(_ row: Row) throws {
                let hash: Data = row[0]
                guard hashes.contains(hash) else { return }
                try row.withUnsafeData(atIndex: 1) { blob in
                    guard let blob else { return }
                    blob.withUnsafeBytes { body(hash, $0) }
                }
            }
            if wholeTable {
                let rows = try Row.fetchCursor(db, sql: "SELECT contentHash, embedding FROM vector WHERE modelId = ?", arguments: [modelId])
                while let row = try rows.next() { try take(row) }
                return
            }
            try ParameterBatches.forEach(Array(hashes)) { batch, placeholders in
                let rows = try Row.fetchCursor(db, sql: "SELECT contentHash, embedding FROM vector WHERE modelId = ? AND contentHash IN (\(placeholders))",
                                               arguments: StatementArguments([modelId] as [any DatabaseValueConvertible] + batch))
                while let row = try rows.next() { try take(row) }
            }
        }
    }
}
