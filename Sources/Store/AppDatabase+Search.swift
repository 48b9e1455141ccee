import Foundation
import GRDB

/// The full-text indexes over chunk text and path.
package enum FullTextIndex: String, Sendable {
    /// `unicode61`, diacritics folded: words.
    case words = "chunk_fts"
    /// `trigram`: text without spaces between words (CJK), and substrings.
    case trigram = "chunk_trigram"
}

/// A candidate chunk as lexical ranking reads it.
package struct RankingFacts: Sendable {
    package let chunkId: Int64
    package let fileId: Int64
    /// The file's path relative to its root (`src/auth.py`).
    package let relativePath: String
    /// Its symbols, comma-separated (`Ledger, Ledger.reconcile`), when parsed by a grammar.
    package let symbol: String?
    /// Context line and text.
    package let text: String
    /// The lowercase words the full-text index holds for the chunk besides its text's own — identifier parts,
    /// stems and other forms, its file's name and folder words, its symbols and theirs (`chunk_fts`'s other
    /// columns, worked out when the chunk was indexed); nil when not read from the index.
    package let indexedWords: String?
    /// Whether its file's first lines say a tool wrote it.
    package let generated: Bool

    package init(chunkId: Int64, fileId: Int64, relativePath: String, symbol: String?, text: String, indexedWords: String? = nil,
                 generated: Bool = false) {
        self.chunkId = chunkId
        self.fileId = fileId
        self.relativePath = relativePath
        self.symbol = symbol
        self.text = text
        self.indexedWords = indexedWords
        self.generated = generated
    }
}

/// The reads search makes: BM25 matches, chunk details, stored vectors. Query text is built by Search.
extension AppDatabase {
    /// (chunk id, BM25 score — higher is better) of the best `limit` matches of an FTS5 expression, with
    /// `weights` for the index's columns (words: text, variants, name, folder, symbol; trigram: text, path).
    /// `within` restricts the matches before they are ranked (`KeptRows`: only kept rows are scored, so a filter
    /// makes the query cheaper). `budget` bounds and cancels the read.
    package func fullTextMatches(_ index: FullTextIndex, expression: String, weights: [Double], limit: Int, within: Set<Int64>? = nil,
                                budget: QueryBudget = .unlimited) throws(StoreError) -> [(chunkId: Int64, score: Double)] {
        let table = index.rawValue
        let rank = "bm25(\(table)" + weights.map { ", \($0)" }.joined() + ")"
        return try read("search the full-text index", budget: budget) { db in
            try Self.ranked(db, sql: "SELECT rowid, \(rank) AS rank FROM \(table) WHERE \(table) MATCH ?", arguments: [expression],
                            limit: limit, within: within)
        }
    }

    /// Trigram matches of `long` terms (an FTS5 expression, may be nil) and LIKE matches of each of `substrings`
    /// (short terms, as typed), restricted by `within` as above.
    package func substringMatches(expression: String?, substrings: [String], limit: Int, within: Set<Int64>? = nil,
                                 budget: QueryBudget = .unlimited) throws(StoreError) -> [(chunkId: Int64, score: Double)] {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let expression {
            conditions.append("chunk_trigram MATCH ?")
            arguments.append(expression)
        }
        for substring in substrings {
            conditions.append("(text LIKE ? ESCAPE '\\' OR path LIKE ? ESCAPE '\\')")
            arguments += [Self.likeContaining(substring), Self.likeContaining(substring)]
        }
        let rank = expression == nil ? "0.0" : "bm25(chunk_trigram, 1.0, 0.1)"
        return try read("search the trigram index", budget: budget) { db in
            try Self.ranked(db, sql: "SELECT rowid, \(rank) AS rank FROM chunk_trigram WHERE \(conditions.joined(separator: " AND "))",
                            arguments: StatementArguments(arguments), limit: limit, within: within)
        }
    }

    /// A LIKE pattern (escaped with `\`) matching any text that holds `text`.
    static func likeContaining(_ text: String) -> String {
        "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    /// The best `limit` rows of a (rowid, rank) query whose WHERE clause ends the SQL, lowest rank first, its score
    /// negated (higher is better); with `within`, only rows among those ids, kept before they are ranked.
    private static func ranked(_ db: Database, sql: String, arguments: StatementArguments, limit: Int,
                               within: Set<Int64>?) throws -> [(chunkId: Int64, score: Double)] {
        func rows(_ sql: String, _ arguments: StatementArguments) throws -> [(chunkId: Int64, score: Double)] {
            try Row.fetchAll(db, sql: sql + " ORDER BY rank LIMIT ?", arguments: arguments + [limit]).map { ($0[0], -($0[1] as Double)) }
        }
        guard let within else { return try rows(sql, arguments) }
        return try KeptRows.keeping(within) { token in try rows(sql + " AND qwery_kept(?, rowid)", arguments + [token]) }
    }

    /// (chunk id, content hash) of these chunks.
    package func chunkHashes(ids: [Int64]) throws(StoreError) -> [(id: Int64, contentHash: Data)] {
        try read("read chunk hashes") { db in
            try ParameterBatches.chunkRows(db, "SELECT id, contentHash FROM chunk WHERE id IN (%@)", ids)
        }
    }

    /// Every chunk id of these files.
    package func chunkIds(fileIds: [Int64]) throws(StoreError) -> Set<Int64> {
        try read("list chunks of files") { db in
            var ids = Set<Int64>()
            try ParameterBatches.forEach(fileIds) { batch, placeholders in
                ids.formUnion(try Int64.fetchAll(db, sql: "SELECT id FROM chunk WHERE fileId IN (\(placeholders))", arguments: StatementArguments(batch)))
            }
            return ids
        }
    }

    /// What lexical ranking reads of each candidate chunk, by id: its file (id and path relative to its
    /// root), its symbols and its words (context and text).
    package func rankingFacts(ids: [Int64]) throws(StoreError) -> [Int64: RankingFacts] {
        try read("read chunks to rank") { db in
            var facts: [Int64: RankingFacts] = [:]
            try ParameterBatches.forEach(ids) { batch, placeholders in
                for row in try Row.fetchAll(db, sql: """
                    SELECT chunk.id, chunk.fileId, file.path, root.path, chunk.symbol, chunk.context || char(10) || chunk.text,
                           chunk_fts.variants || ' ' || chunk_fts.name || ' ' || chunk_fts.folder || ' ' || chunk_fts.symbol, file.generated
                    FROM chunk JOIN file ON file.id = chunk.fileId JOIN root ON root.id = file.rootId
                    LEFT JOIN chunk_fts ON chunk_fts.rowid = chunk.id WHERE chunk.id IN (\(placeholders))
                    """, arguments: StatementArguments(batch)) {
                    let id: Int64 = row[0]
                    facts[id] = RankingFacts(chunkId: id, fileId: row[1], relativePath: RelativePath.of(row[2], root: row[3]),
                                             symbol: row[4], text: row[5], indexedWords: row[6], generated: row[7])
                }
            }
            return facts
        }
    }

    /// Chunks with their file paths, by id.
    package func chunks(ids: [Int64]) throws(StoreError) -> [Int64: (chunk: ChunkRow, path: String)] {
        try read("read chunks") { db in
            var found: [Int64: (chunk: ChunkRow, path: String)] = [:]
            try ParameterBatches.forEach(ids) { batch, placeholders in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT \(ChunkRow.columns), file.path
                    FROM chunk JOIN file ON file.id = chunk.fileId WHERE chunk.id IN (\(placeholders))
                    """, arguments: StatementArguments(batch))
                for row in rows {
                    let chunk = ChunkRow(row: row)
                    found[chunk.id] = (chunk, row[ChunkRow.columnCount])
                }
            }
            return found
        }
    }

    /// Where chunks sit — (id, file path, first line, symbols) — in path and line order: the order a query of
    /// filters alone lists them in. Reads no chunk text.
    package func chunkPositions(ids: Set<Int64>) throws(StoreError) -> [(id: Int64, path: String, startLine: Int, symbol: String?)] {
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
    package func vectorHashes(modelId: Int64) throws(StoreError) -> Set<Data> {
        try read("list vectors") { db in
            try Set(Data.fetchAll(db, sql: "SELECT contentHash FROM vector WHERE modelId = ? AND orphanedAt IS NULL", arguments: [modelId]))
        }
    }

    /// Calls `body` with each stored vector of `modelId` among `hashes` (its raw little-endian float32 bytes),
    /// reading the whole table in one pass when most are wanted, else in batches by hash.
    package func forEachVector(modelId: Int64, among hashes: Set<Data>, wholeTable: Bool,
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
