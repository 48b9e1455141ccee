import Foundation

/// A tmux session running a command in a real terminal, for driving the TUI as a person would.
final class Tmux {
    let session = "qwery-test-\(UUID().uuidString.prefix(8))"

    init(command: String, columns: Int, rows: Int) throws {
        try Self.tmux(["new-session", "-d", "-s", session, "-x", "\(columns)", "-y", "\(rows)", command])
    }

    deinit {
        _ = try? Self.tmux(["kill-session", "-t", session])
    }

    static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")
    }

    func send(_ keys: String...) throws {
        try Self.tmux(["send-keys", "-t", session] + keys)
    }

    /// Types text literally (no key names).
    func type(_ text: String) throws {
        try Self.tmux(["send-keys", "-t", session, "-l", text])
    }

    func capture() throws -> String {
        try Self.tmux(["capture-pane", "-t", session, "-p"])
    }

    /// The screen with its colours, as escape sequences.
    func captureWithColours() throws -> String {
        try Self.tmux(["capture-pane", "-t", session, "-p", "-e"])
    }

    func resize(columns: Int, rows: Int) throws {
        try Self.tmux(["resize-window", "-t", session, "-x", "\(columns)", "-y", "\(rows)"])
    }

    /// Polls the screen until `condition` holds or `seconds` pass; returns the last screen.
    @discardableResult
    func waitFor(seconds: Double = 10, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var screen = try capture()
        while !condition(screen) && Date() < deadline {
            usleep(100_000)
            screen = try capture()
        }
        return screen
    }

    @discardableResult
    static func tmux(_ arguments: [String]) throws -> String {
        try ChildProcess.run("/usr/bin/tmux", arguments).standardOutput
    }
}
