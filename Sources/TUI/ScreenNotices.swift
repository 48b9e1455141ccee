import Synchronization

/// Notices from the core that arrive while the screen owns the terminal (a precision being measured for a
/// new model): held until the screen runs, then shown in its status bar — never written to stderr, which
/// would scribble over the screen.
package final class ScreenNotices: Sendable {
    /// A problem to show (with a warning sign), or work under way (nil: it is done).
    enum Item: Sendable {
        case notice(String)
        case progress(String?)
    }

    private struct State {
        var post: (@Sendable (Item) -> Void)?
        var pending: [Item] = []
    }
    private let state = Mutex(State())

    package init() {}

    package func send(_ text: String) {
        deliver(.notice(text))
    }

    /// Work under way (a precision being measured, with its estimate), shown plainly; nil once it is done.
    package func sendProgress(_ text: String?) {
        deliver(.progress(text))
    }

    private func deliver(_ item: Item) {
        let post = state.withLock { state -> (@Sendable (Item) -> Void)? in
            if state.post == nil { state.pending.append(item) }
            return state.post
        }
        post?(item)
    }

    /// Delivers what was held, then everything later, through `post`.
    func connect(_ post: @escaping @Sendable (Item) -> Void) {
        let held = state.withLock { state -> [Item] in
            state.post = post
            defer { state.pending = [] }
            return state.pending
        }
        held.forEach(post)
    }
}
