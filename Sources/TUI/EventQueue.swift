import Synchronization

/// Actions posted by background work, taken by the event loop between keys.
public final class EventQueue: Sendable {
    private let pending = Mutex<[Action]>([])

    public init() {}

    public func post(_ action: Action) {
        pending.withLock { $0.append(action) }
    }

    public func drain() -> [Action] {
        pending.withLock { actions in
            defer { actions.removeAll() }
            return actions
        }
    }
}
