import Synchronization

/// Notices from the core that arrive while the screen owns the terminal (a precision being measured for a
/// new model): held until the screen runs, then shown in its status bar — never written to stderr, which
/// would scribble over the screen.
public final class ScreenNotices: Sendable {
    private struct State {
        var post: (@Sendable (String) -> Void)?
        var pending: [String] = []
    }
    private let state = Mutex(State())

    public init() {}

    public func send(_ text: String) {
        let post = state.withLock { state -> (@Sendable (String) -> Void)? in
            if state.post == nil { state.pending.append(text) }
            return state.post
        }
        post?(text)
    }

    /// Delivers what was held, then everything later, through `post`.
    func connect(_ post: @escaping @Sendable (String) -> Void) {
        let held = state.withLock { state -> [String] in
            state.post = post
            defer { state.pending = [] }
            return state.pending
        }
        held.forEach(post)
    }
}
