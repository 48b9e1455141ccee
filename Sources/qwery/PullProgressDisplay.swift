import Foundation
import ModelHub
import QweryCore
import Synchronization

/// Shows a pull on stderr: a redrawn bar with speed and time left on a terminal, sparse lines otherwise.
final class PullProgressDisplay: Sendable {
    private struct State {
        var lastDraw = Date.distantPast
        var started = Date()
        var startBytes: Int64?
    }

    private let repository: String
    private let state = Mutex(State())

    init(repository: String) {
        self.repository = repository
    }

    func show(_ progress: ModelPuller.Progress) {
        switch progress {
        case .listing(let repository):
            TerminalStatus.line("pulling \(repository)")
        case .downloading(let file, let done, let total):
            let text: String? = state.withLock { state in
                let now = Date()
                let interval = TerminalStatus.isTerminal ? 0.1 : 5
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
            // Hashing a 1.2 GB file takes seconds: say so, or the bar looks frozen at "0s left".
            if TerminalStatus.isTerminal { TerminalStatus.bar("verifying \(file) (SHA-256)…", fraction: 1) } else { TerminalStatus.line("verifying \(file) (SHA-256)") }
        case .retrying(let file, let attempt, let reason):
            TerminalStatus.line("\(file): \(reason); resuming (attempt \(attempt))")
        }
    }

    /// Clears the bar and prints `message` when there is one.
    func finish(_ message: String?) {
        TerminalStatus.clear()
        if let message { FileHandle.standardError.write(Data((message + "\n").utf8)) }
    }

    private func bar(_ text: String, fraction: Double) {
        guard TerminalStatus.isTerminal else { return TerminalStatus.line(text) }
        TerminalStatus.bar(text, fraction: fraction)
    }

    static func bytes(_ count: Int64) -> String {
        let value = Double(count)
        if value >= 1e9 { return String(format: "%.2f GB", value / 1e9) }
        if value >= 1e6 { return String(format: "%.1f MB", value / 1e6) }
        if value >= 1e3 { return String(format: "%.0f kB", value / 1e3) }
        return "\(count) B"
    }
}
