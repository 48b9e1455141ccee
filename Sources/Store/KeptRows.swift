import GRDB
import GRDBSQLite
import Synchronization

/// `qwery_kept(token, rowid)`: whether a row is among the ids a filter keeps, so a filtered full-text query keeps
/// its rows inside SQLite, before they are ranked. BM25 and the sort are what a full-text query costs — for two
/// common words over 100,000 chunks 70 ms against 5 ms for the match itself — and a condition in the WHERE clause
/// means only the kept rows are scored: a filter keeping a tenth of the index makes the query cheaper, not dearer.
/// (Reading ranked rows and dropping the others in Swift scored every match and read a window of them; a rowid
/// `IN (…)` constraint made FTS5 run the match once per id.)
///
/// The set travels by a token: registered here for the time of one read, found by the function on its first call
/// in a statement and kept as the statement's auxiliary data for the other rows (one set lookup a row). A plain C
/// function, not a GRDB `DatabaseFunction`, which builds an array of values for every row.
package enum KeptRows {
    private final class Entry: Sendable {
        let ids: Set<Int64>
        init(_ ids: Set<Int64>) { self.ids = ids }
    }

    private static let registry = Mutex<[Int64: Entry]>([:])
    private static let lastToken = Atomic<Int64>(0)

    /// Adds the function to a connection (every connection that may run a filtered search); direct-only, so no view
    /// or trigger of a planted index file can call it.
    static func register(_ db: Database) {
        sqlite3_create_function_v2(db.sqliteConnection, "qwery_kept", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, nil, { context, _, values in
            guard let context, let values, let token = values[0], let row = values[1] else { return }
            let entry: Entry
            if let kept = sqlite3_get_auxdata(context, 0) {
                entry = Unmanaged<Entry>.fromOpaque(kept).takeUnretainedValue()
            } else if let found = KeptRows.registry.withLock({ $0[sqlite3_value_int64(token)] }) {
                entry = found
                sqlite3_set_auxdata(context, 0, Unmanaged.passRetained(found).toOpaque()) { kept in
                    if let kept { Unmanaged<Entry>.fromOpaque(kept).release() }
                }
            } else {
                // A token no read registered keeps nothing (never more than the filter allows).
                sqlite3_result_int(context, 0)
                return
            }
            sqlite3_result_int(context, entry.ids.contains(sqlite3_value_int64(row)) ? 1 : 0)
        }, nil, nil, nil)
    }

    /// Runs `body` with a token for which `qwery_kept(token, rowid)` holds exactly for `ids`.
    static func keeping<T>(_ ids: Set<Int64>, _ body: (Int64) throws -> T) rethrows -> T {
        let token = lastToken.add(1, ordering: .relaxed).newValue
        registry.withLock { $0[token] = Entry(ids) }
        defer { _ = registry.withLock { $0.removeValue(forKey: token) } }
        return try body(token)
    }
}
