import Foundation
import ModelHub
import Synchronization

/// Shows a pull on stderr: a redrawn bar with speed and time left on a terminal, sparse lines otherwise.
final class PullProgressDisplay: Sendable {
    private struct State {
        var lastDraw = Date.distantPast
        var started = Date()
        var startBytes: Int64?
    }

    private let repository: String
    private let isTerminal = isatty(2) == 1
    private let state = Mutex(State())

    init(repository: String) {
        self.repository = repository
    }

    func show(_ progress: ModelPuller.Progress) {
        switch progress {
        case .listing(let repository):
            line("pulling \(repository)")
        case .downloading(let file, let done, let total):
            let text: String? = state.withLock { state in
                let now = Date()
                let interval = isTerminal ? 0.1 : 5
                guard now.timeIntervalSince(state.lastDraw) >= interval || done == total else { return nil }
                state.lastDraw = now
                let start = state.startBytes ?? done
                state.startBytes = start
                let elapsed = now.timeIntervalSince(state.started)
                let rate = elapsed > 0.5 ? Double(done - start) / elapsed : 0
                let eta = rate > 0 ? String(format: "  %.0fs left", Double(total - done) / rate) : ""
                return String(format: "%@  %@ / %@  %@/s%@", file, Self.bytes(done), Self.bytes(total), Self.bytes(Int64(rate)), eta)
            }
            if let text { bar(text, fraction: Double(done) / Double(max(total, 1))) }
        case .verifying(let file):
            if !isTerminal { line("checking \(file)") }
        case .retrying(let file, let attempt, let reason):
            line("\(file): \(reason); resuming (attempt \(attempt))")
        }
    }

    /// Clears the bar and prints `message` when there is one.
    func finish(_ message: String?) {
        if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        if let message { FileHandle.standardError.write(Data((message + "\n").utf8)) }
    }

    private func line(_ text: String) {
        if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    private func bar(_ text: String, fraction: Double) {
        guard isTerminal else { return line(text) }
        let width = 24
        let filled = Int((fraction * Double(width)).rounded())
        let drawn = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\u{1B}[K\(drawn) \(text)".utf8))
    }

    static func bytes(_ count: Int64) -> String {
        let value = Double(count)
        if value >= 1e9 { return String(format: "%.2f GB", value / 1e9) }
        if value >= 1e6 { return String(format: "%.1f MB", value / 1e6) }
        if value >= 1e3 { return String(format: "%.0f kB", value / 1e3) }
        return "\(count) B"
    }
}
