import Foundation
import GRDB

/// A watched folder.
public struct RootRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "root"
    public var id: Int64?
    public var path: String
    public var addedAt: Date

    public enum Columns {
        static let id = Column(CodingKeys.id)
        static let path = Column(CodingKeys.path)
    }
}

/// What the index knows of one file: its stat, content hash, and whether it was indexed or skipped.
public struct FileRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "file"
    public var id: Int64?
    public var rootId: Int64
    public var path: String
    public var size: Int64
    /// Modification time in nanoseconds since 1970.
    public var modifiedAt: Int64
    public var contentHash: Data?
    public var status: Status
    public var skipReason: String?
    public var indexedAt: Date

    /// Whether the file's chunks are in the index.
    public enum Status: String, Codable, Sendable {
        case indexed
        case skipped
    }

    public enum Columns {
        static let id = Column(CodingKeys.id)
        static let rootId = Column(CodingKeys.rootId)
        static let path = Column(CodingKeys.path)
        static let status = Column(CodingKeys.status)
    }

    public init(id: Int64? = nil, rootId: Int64, path: String, size: Int64, modifiedAt: Int64, contentHash: Data?,
                status: Status, skipReason: String?, indexedAt: Date = Date()) {
        self.id = id
        self.rootId = rootId
        self.path = path
        self.size = size
        self.modifiedAt = modifiedAt
        self.contentHash = contentHash
        self.status = status
        self.skipReason = skipReason
        self.indexedAt = indexedAt
    }
}

/// An embedding model, identified by a hash of its configuration and weight files.
public struct ModelRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "model"
    public var id: Int64?
    public var identity: String
    public var name: String
    public var dimension: Int

    public enum Columns {
        static let identity = Column(CodingKeys.identity)
    }
}
