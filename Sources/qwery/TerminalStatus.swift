import Foundation
import QweryCore

/// Progress on stderr, shared by indexing and downloads: on a terminal one line redrawn in place
/// (a 24-cell bar, then text), elsewhere whole lines only.
enum TerminalStatus {
    static let isTerminal = isatty(2) == 1

    /// Clears the bar line on a terminal.
    static func clear() {
        if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    /// Clears the bar line, then writes `text` as a line of its own.
    static func line(_ text: String) {
        clear()
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Redraws the bar line with `fraction` (0…1) of the bar filled; callers decide how often.
    static func bar(_ text: String, fraction: Double) {
        let width = 24
        let filled = max(0, min(width, Int((fraction * Double(width)).rounded())))
        let drawn = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\u{1B}[K\(drawn) \(text)".utf8))
    }
}
