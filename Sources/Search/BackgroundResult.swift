import Dispatch
import Synchronization

/// Work started on another thread now, its result collected later (`value` waits for it): how a search runs its
/// semantic stage (the query's embedding, the vector scan) while this thread runs the lexical one.
package final class BackgroundResult<Value: Sendable>: Sendable {
    private let outcome = Mutex<Result<Value, any Error>?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let result = Result { try work() }
            outcome.withLock { $0 = result }
            finished.signal()
        }
    }

    /// The work's value (or its error), once it has finished.
    func value() throws -> Value {
        finished.wait()
        finished.signal()  // a second caller returns at once
        guard let result = outcome.withLock({ $0 }) else { preconditionFailure("signalled before the result was kept") }
        return try result.get()
    }
}
