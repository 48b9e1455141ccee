import Foundation

/// `qwery eval`'s progress bar on standard error (only on a terminal).
final class EvalProgress {
    let total: Int
    private let isTerminal = isatty(STDERR_FILENO) == 1

    init(total: Int) {
        self.total = max(1, total)
    }

    func show(_ done: Int, label: String) {
        guard isTerminal else { return }
        let width = 30
        let filled = min(width, width * done / total)
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(bar) \(done)/\(total) queries · \(label)".utf8))
    }

    func finish() {
        guard isTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
