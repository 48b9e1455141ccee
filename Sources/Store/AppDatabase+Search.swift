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

    package init(chunkId: Int64, fileId: Int64, relativePath: String, symbol: String?, text: String, indexedWords: String? = nil) {
        self.chunkId = chunkId
        self.fileId = fileId
        self.relativePath = relativePath
        self.symbol = symbol
        self.text = text
        self.indexedWords = indexedWords
    }
}

/// The reads search makes: BM25 matches, chunk details, stored vectors. Query text is built by Search.
extension AppDatabase {
    /// (chunk id, BM25 score — higher is better) of the best `limit` matches of an FTS5 expression, with
    /// `weights` for the index's columns (words: text, variants, name, folder, symbol; trigram: text, path).
    /// `within` restricts the matches before the limit: rows are read in rank order and kept when in the
    /// set, so a filter costs what the query costs (an `IN (json_each…)` constraint made FTS5 run the
    /// match once per candidate: minutes for a one-letter prefix). `budget` bounds and cancels the read.
    /// `withinFiles` restricts by the chunks' files instead (looked up a page of ranked rows at a time).
    package func fullTextMatches(_ index: FullTextIndex, expression: String, weights: [Double], limit: Int, within: Set<Int64>? = nil,
                                withinFiles: Set<Int64>? = nil, budget: QueryBudget = .unlimited) throws(StoreError) -> [(chunkId: Int64, score: Double)] {
        let table = index.rawValue
        let rank = "bm25(\(table)" + weights.map { ", \($0)" }.joined() + ")"
        return try read("search the full-text index", budget: budget) { db in
            if let withinFiles {
                return try Self.firstInFiles(withinFiles, limit: limit, db: db,
                                             sql: "SELECT rowid, \(rank) AS rank FROM \(table) WHERE \(table) MATCH ? ORDER BY rank", arguments: [expression])
            }
            guard let within else {
                return try Row.fetchAll(db, sql: "SELECT rowid, \(rank) AS rank FROM \(table) WHERE \(table) MATCH ? ORDER BY rank LIMIT ?",
                                        arguments: [expression, limit]).map { ($0[0], -($0[1] as Double)) }
            }
            return try Self.firstWithin(within, limit: limit, db: db,
                                        sql: "SELECT rowid, \(rank) AS rank FROM \(table) WHERE \(table) MATCH ? ORDER BY rank", arguments: [expression])
        }
    }

    /// Trigram matches of `long` terms (an FTS5 expression, may be nil) and LIKE substring matches of each
    /// short term (already escaped for LIKE with `\`), restricted by `within` as above.
    package func substringMatches(expression: String?, likePatterns: [String], limit: Int, within: Set<Int64>? = nil,
                                 budget: QueryBudget = .unlimited) throws(StoreError) -> [(chunkId: Int64, score: Double)] {
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
        let rank = expression == nil ? "0.0" : "bm25(chunk_trigram, 1.0, 0.1)"
        let sql = "SELECT rowid, \(rank) AS rank FROM chunk_trigram WHERE \(conditions.joined(separator: " AND ")) ORDER BY rank"
        return try read("search the trigram index", budget: budget) { db in
            guard let within else {
                return try Row.fetchAll(db, sql: sql + " LIMIT ?", arguments: StatementArguments(arguments + [limit]))
                    .map { ($0[0], -($0[1] as Double)) }
            }
            return try Self.firstWithin(within, limit: limit, db: db, sql: sql, arguments: StatementArguments(arguments))
        }
    }

    /// The first `limit` rows of a ranked (rowid, rank) query whose chunk belongs to one of `files` (see
    /// `firstKept`); files are looked up a page of rows at a time.
    private static func firstInFiles(_ files: Set<Int64>, limit: Int, db: Database, sql: String,
                                     arguments: StatementArguments) throws -> [(chunkId: Int64, score: Double)] {
        let indexed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM file WHERE status = 'indexed'") ?? 0
        return try firstKept(limit: limit, share: Double(files.count) / Double(max(indexed, 1)), db: db, sql: sql, arguments: arguments) { ids in
            var fileOf: [Int64: Int64] = [:]
            try ParameterBatches.forEach(ids) { batch, placeholders in
                for row in try Row.fetchAll(db, sql: "SELECT id, fileId FROM chunk WHERE id IN (\(placeholders))", arguments: StatementArguments(batch)) {
                    fileOf[row[0]] = row[1]
                }
            }
            return ids.map { fileOf[$0].map(files.contains) ?? false }
        }
    }

    /// The first `limit` rows of a ranked (rowid, rank) query that `keep` lets through (it answers for a page of
    /// rows at a time). The query runs with a LIMIT twice what is wanted divided by the share of the index the
    /// filter keeps — SQLite then keeps a top-N heap instead of sorting every match, and a filter keeping a tenth
    /// reads ten times as many rows in that one run instead of running the match again — multiplied by four until
    /// enough rows pass or the matches run out; rows come sorted, so reading stops as soon as enough are kept.
    private static func firstKept(limit: Int, share: Double, db: Database, sql: String, arguments: StatementArguments,
                                  keep: ([Int64]) throws -> [Bool]) throws -> [(chunkId: Int64, score: Double)] {
        var window = max(Int(Double(limit * 2) / min(max(share, 1.0 / 64), 1)), 256)
        while true {
            var kept: [(chunkId: Int64, score: Double)] = []
            var read = 0
            var page: [(chunkId: Int64, score: Double)] = []
            func judge() throws {
                for (row, passes) in zip(page, try keep(page.map(\.chunkId))) where passes && kept.count < limit { kept.append(row) }
                page.removeAll(keepingCapacity: true)
            }
            let rows = try Row.fetchCursor(db, sql: sql + " LIMIT ?", arguments: arguments + [window])
            while kept.count < limit, let row = try rows.next() {
                read += 1
                page.append((row[0], -(row[1] as Double)))
                if page.count == 500 { try judge() }
            }
            if !page.isEmpty { try judge() }
            if kept.count >= limit || read < window { return kept }
            window *= 4
        }
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

    /// The first `limit` rows of a ranked (rowid, rank) query whose rowid is in `within` (see `firstKept`).
    private static func firstWithin(_ within: Set<Int64>, limit: Int, db: Database, sql: String,
                                    arguments: StatementArguments) throws -> [(chunkId: Int64, score: Double)] {
        // The largest chunk id stands for the count (ids freed by deletions only make the window larger).
        let chunks = try Int.fetchOne(db, sql: "SELECT MAX(id) FROM chunk") ?? 0
        return try firstKept(limit: limit, share: Double(within.count) / Double(max(chunks, 1)), db: db, sql: sql, arguments: arguments) {
            $0.map(within.contains)
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
                           chunk_fts.variants || ' ' || chunk_fts.name || ' ' || chunk_fts.folder || ' ' || chunk_fts.symbol
                    FROM chunk JOIN file ON file.id = chunk.fileId JOIN root ON root.id = file.rootId
                    LEFT JOIN chunk_fts ON chunk_fts.rowid = chunk.id WHERE chunk.id IN (\(placeholders))
                    """, arguments: StatementArguments(batch)) {
                    let id: Int64 = row[0]
                    facts[id] = RankingFacts(chunkId: id, fileId: row[1], relativePath: RelativePath.of(row[2], root: row[3]),
                                             symbol: row[4], text: row[5], indexedWords: row[6])
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
