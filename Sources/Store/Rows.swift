import Foundation
import Corpus
import GRDB

/// A watched folder.
package struct RootRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    package static let databaseTableName = "root"
    package var id: Int64?
    package var path: String
    package var addedAt: Date

    package enum Columns {
        static let id = Column(CodingKeys.id)
        static let path = Column(CodingKeys.path)
    }
}

/// What the index knows of one file: its stat, content hash, and whether it was indexed or skipped.
package struct FileRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    package static let databaseTableName = "file"
    package var id: Int64?
    package var rootId: Int64
    package var path: String
    package var size: Int64
    /// Modification time in nanoseconds since 1970.
    package var modifiedAt: Int64
    package var contentHash: Data?
    package var status: Status
    package var skipReason: String?
    package var indexedAt: Date
    /// How its text was chunked (`Chunker.method(forPath:)`); nil for documents and for files indexed before it was
    /// recorded.
    package var chunking: String?
    /// Whether its first lines say a tool wrote it (`GeneratedMarker`): ranked like other generated files.
    package var generated: Bool

    /// Whether the file's chunks are in the index.
    package enum Status: String, Codable, Sendable {
        case indexed
        case skipped
    }

    package enum Columns {
        static let id = Column(CodingKeys.id)
        static let rootId = Column(CodingKeys.rootId)
        static let path = Column(CodingKeys.path)
        static let status = Column(CodingKeys.status)
    }

    package init(id: Int64? = nil, rootId: Int64, path: String, size: Int64, modifiedAt: Int64, contentHash: Data?,
                status: Status, skipReason: String?, indexedAt: Date = Date(), chunking: String? = nil, generated: Bool = false) {
        self.id = id
        self.rootId = rootId
        self.path = path
        self.size = size
        self.modifiedAt = modifiedAt
        self.contentHash = contentHash
        self.status = status
        self.skipReason = skipReason
        self.indexedAt = indexedAt
        self.chunking = chunking
        self.generated = generated
    }
}

/// An embedding model, identified by a hash of its configuration and weight files.
package struct ModelRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    package static let databaseTableName = "model"
    package var id: Int64?
    package var identity: String
    package var name: String
    package var dimension: Int

    package enum Columns {
        static let identity = Column(CodingKeys.identity)
    }
}

/// One chunk of a file, as the index stores it: what the indexer writes (`id` 0 until stored), what search
/// reads, what every result carries. A new field is added here, in the chunk table's migration and in the two
/// statements that write and read it (`saveIndexedFile`, `ChunkRow.columns`).
package struct ChunkRow: Sendable, Equatable, Codable {
    /// The row's id; 0 for a chunk not stored yet.
    package var id: Int64
    package var startLine: Int
    package var endLine: Int
    /// Where the chunk starts and ends in its file (UTF-8 bytes): a piece of a long line starts inside it.
    package var startByte: Int
    package var endByte: Int
    /// The headings or definitions above the chunk's text.
    package var context: String
    package var text: String
    /// SHA-256 of what is embedded: identical chunks share one vector.
    package var contentHash: Data
    package var tokenCount: Int
    /// A document chunk's page (PDF) or cell (notebook); nil for text files.
    package var locator: Locator?
    /// Code: the symbols the chunk holds ("Ledger.reconcile", comma-separated when several).
    package var symbol: String?

    package init(id: Int64 = 0, startLine: Int, endLine: Int, startByte: Int = 0, endByte: Int = 0, context: String, text: String,
                contentHash: Data, tokenCount: Int = 0, locator: Locator? = nil, symbol: String? = nil) {
        self.id = id
        self.startLine = startLine
        self.endLine = endLine
        self.startByte = startByte
        self.endByte = endByte
        self.context = context
        self.text = text
        self.contentHash = contentHash
        self.tokenCount = tokenCount
        self.locator = locator
        self.symbol = symbol
    }

    /// The chunk table's columns in the order `init(row:)` reads them (prefix them with `chunk.` in a join).
    static let columns = "chunk.id, chunk.startLine, chunk.endLine, chunk.startByte, chunk.endByte, chunk.context, chunk.text, "
        + "chunk.contentHash, chunk.tokenCount, chunk.locatorKind, chunk.locatorNumber, chunk.symbol"
    static let columnCount = 12

    /// A row selected with `columns` first.
    init(row: Row) {
        self.init(id: row[0], startLine: row[1], endLine: row[2], startByte: row[3], endByte: row[4], context: row[5], text: row[6],
                  contentHash: row[7], tokenCount: row[8], locator: Locator(kind: row[9], number: row[10]), symbol: row[11])
    }
}
