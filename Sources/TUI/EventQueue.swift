import Synchronization

/// Actions posted by background work, taken by the event loop between keys.
package final class EventQueue: Sendable {
    private let pending = Mutex<[Action]>([])

    package init() {}

    package func post(_ action: Action) {
        pending.withLock { $0.append(action) }
    }

    package func drain() -> [Action] {
        pending.withLock { actions in
            defer { actions.removeAll() }
            return actions
        }
    }
}
