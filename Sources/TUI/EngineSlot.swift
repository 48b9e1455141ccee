import Synchronization

/// Hands the engine loaded on a background thread to the main loop.
final class EngineSlot: Sendable {
    private let engine = Mutex<App.Engine?>(nil)

    func put(_ loaded: App.Engine) {
        engine.withLock { $0 = loaded }
    }

    /// The loaded engine, once; nil before it is loaded and after it was taken.
    func take() -> App.Engine? {
        engine.withLock { $0.take() }
    }
}
