import Foundation
import GRDB

/// A document's extracted text as stored: its sections (JSON, for re-chunking) and the text the preview
/// and `get` show, keyed by the document's content hash.
package struct DocumentTextRecord: Sendable, Equatable {
    package var contentHash: Data
    package var format: String
    package var sections: String
    package var text: String

    package init(contentHash: Data, format: String, sections: String, text: String) {
        self.contentHash = contentHash
        self.format = format
        self.sections = sections
        self.text = text
    }
}

/// Extracted document text, stored once per content: a re-chunk, a new model or a new dimension never
/// extracts again; a changed document is extracted once.
extension AppDatabase {
    package func saveDocumentText(_ record: DocumentTextRecord) throws(StoreError) {
        try write("save a document's text") { db in
            try db.execute(sql: "INSERT OR REPLACE INTO documentText (contentHash, format, sections, text) VALUES (?, ?, ?, ?)",
                           arguments: [record.contentHash, record.format, record.sections, record.text])
        }
    }

    package func documentText(contentHash: Data) throws(StoreError) -> DocumentTextRecord? {
        try read("read a document's text") { db in
            try Row.fetchOne(db, sql: "SELECT contentHash, format, sections, text FROM documentText WHERE contentHash = ?",
                             arguments: [contentHash]).map { DocumentTextRecord(contentHash: $0[0], format: $0[1], sections: $0[2], text: $0[3]) }
        }
    }

    /// The extracted text of the indexed document at `path`, nil when it is not a stored document.
    package func documentText(path: String) throws(StoreError) -> String? {
        try read("read \(path)'s text") { db in
            try String.fetchOne(db, sql: """
                SELECT documentText.text FROM file JOIN documentText ON documentText.contentHash = file.contentHash
                WHERE file.path = ? AND file.status = 'indexed'
                """, arguments: [path])
        }
    }

    /// Drops texts no file holds any more; returns how many.
    @discardableResult
    package func removeUnusedDocumentTexts() throws(StoreError) -> Int {
        try write("remove unused document texts") { db in
            try db.execute(sql: "DELETE FROM documentText WHERE contentHash NOT IN (SELECT contentHash FROM file WHERE contentHash IS NOT NULL)")
            return db.changesCount
        }
    }

    /// Indexed and skipped files by the extension of their names (lowercased, "" without one).
    static func extensionCounts(_ db: Database) throws -> [(fileExtension: String, indexed: Int, skipped: Int)] {
            var counts: [String: (Int, Int)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT path, status FROM file") {
                let path: String = row[0]
                let name = path.split(separator: "/").last.map(String.init) ?? path
                let fileExtension = name.contains(".") ? String(name.split(separator: ".").last ?? "").lowercased() : ""
                var entry = counts[fileExtension] ?? (0, 0)
                if (row[1] as String) == "indexed" { entry.0 += 1 } else { entry.1 += 1 }
                counts[fileExtension] = entry
            }
            return counts.map { ($0.key, $0.value.0, $0.value.1) }.sorted { $0.fileExtension < $1.fileExtension }
    }
}
