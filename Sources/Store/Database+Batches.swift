import Foundation
import GRDB

/// `IN (?, ?, …)` lists in batches: SQLite caps the parameters of one statement, so a long list of ids or
/// hashes is sent 500 at a time.
enum ParameterBatches {
    static let size = 500

    /// Calls `body` with each batch of `values` and the matching `?,?,…` placeholder list.
    static func forEach<Value: DatabaseValueConvertible>(_ values: [Value], _ body: (_ batch: [Value], _ placeholders: String) throws -> Void) rethrows {
        for start in stride(from: 0, to: values.count, by: size) {
            let batch = Array(values[start..<min(start + size, values.count)])
            try body(batch, Array(repeating: "?", count: batch.count).joined(separator: ","))
        }
    }

    /// (chunk id, content hash) rows of `sql`, whose `%@` is replaced by each batch's placeholders.
    static func chunkRows<Value: DatabaseValueConvertible>(_ db: Database, _ sql: String, _ values: [Value]) throws -> [(id: Int64, contentHash: Data)] {
        var found: [(id: Int64, contentHash: Data)] = []
        try forEach(values) { batch, placeholders in
            found += try Row.fetchAll(db, sql: sql.replacingOccurrences(of: "%@", with: placeholders),
                                      arguments: StatementArguments(batch)).map { ($0[0], $0[1]) }
        }
        return found
    }
}
