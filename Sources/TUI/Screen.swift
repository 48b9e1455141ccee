/// Where the app reads keys and draws frames: the terminal (`CursesScreen`) or, in tests, a scripted
/// screen that types keys and keeps the frames, so the real event loop runs headless.
package protocol Screen: AnyObject {
    var size: (rows: Int, columns: Int) { get }
    /// Whether styles may use colour.
    var colours: Bool { get }
    /// The next key, or nil after a short wait without one (the loop then takes background events).
    func readKey() -> KeyInput?
    func draw(_ frame: Frame)
    /// Leaves the screen to another program (the editor), then comes back.
    func suspend(_ body: () -> Void)
    func close()
    /// Draws with `theme` from the next frame on.
    func apply(theme: Theme)
}

extension Screen {
    package func apply(theme: Theme) {}
}
