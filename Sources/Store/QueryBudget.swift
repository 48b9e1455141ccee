import Foundation
import GRDB
import GRDBSQLite

/// How long a search's SQL may run, and how it learns that its answer is no longer wanted.
///
/// While a statement runs, SQLite calls a progress handler every `checkEvery` virtual-machine steps; the
/// handler stops the statement (SQLITE_INTERRUPT, on this connection only: the indexer's writes are never
/// touched) when `isCancelled` turns true — the next keystroke — or the deadline has passed.
package struct QueryBudget: Sendable {
    package var deadline: ContinuousClock.Instant?
    package var isCancelled: @Sendable () -> Bool

    package init(seconds: Double? = nil, isCancelled: @escaping @Sendable () -> Bool = { false }) {
        deadline = seconds.map { ContinuousClock.now + .milliseconds(Int($0 * 1000)) }
        self.isCancelled = isCancelled
    }

    /// No limit, never cancelled.
    package static let unlimited = QueryBudget()

    /// Virtual-machine steps between two checks (~a few microseconds of work).
    static let checkEvery: Int32 = 4_000

    var isSpent: Bool {
        if isCancelled() { return true }
        if let deadline, ContinuousClock.now >= deadline { return true }
        return false
    }
}

/// The progress handler's context: the budget, and whether it was the deadline that stopped the statement.
private final class BudgetWatch {
    let budget: QueryBudget
    var stoppedBy: QueryStop?
    init(_ budget: QueryBudget) { self.budget = budget }
}

/// Why a search's statement was stopped.
package enum QueryStop: Sendable, Equatable {
    case cancelled
    case timedOut
}

extension AppDatabase {
    /// Runs `query` on a snapshot with `budget` watching every statement it runs; a stopped statement throws
    /// `StoreError.stopped`.
    func read<T>(_ operation: String, budget: QueryBudget, _ query: (Database) throws -> T) throws(StoreError) -> T {
        if budget.isCancelled() { throw .stopped(operation: operation, reason: .cancelled) }
        var stop: QueryStop?
        do {
            return try writer.read { db in
                let watch = BudgetWatch(budget)
                let context = Unmanaged.passRetained(watch)
                sqlite3_progress_handler(db.sqliteConnection, QueryBudget.checkEvery, { pointer in
                    guard let pointer else { return 0 }
                    let watch = Unmanaged<BudgetWatch>.fromOpaque(pointer).takeUnretainedValue()
                    if watch.budget.isCancelled() { watch.stoppedBy = .cancelled; return 1 }
                    if let deadline = watch.budget.deadline, ContinuousClock.now >= deadline { watch.stoppedBy = .timedOut; return 1 }
                    return 0
                }, context.toOpaque())
                defer {
                    sqlite3_progress_handler(db.sqliteConnection, 0, nil, nil)
                    stop = watch.stoppedBy
                    context.release()
                }
                return try query(db)
            }
        } catch {
            if let stop { throw .stopped(operation: operation, reason: stop) }
            if let error = error as? DatabaseError, error.resultCode == .SQLITE_INTERRUPT { throw .stopped(operation: operation, reason: .cancelled) }
            throw .databaseFailure(operation: operation, reason: Self.reason(error))
        }
    }
}
