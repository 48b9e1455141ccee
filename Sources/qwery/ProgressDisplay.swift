import Foundation
import Indexing

/// Shows indexing progress on stderr: one redrawn bar on a terminal, plain lines otherwise.
final class ProgressDisplay {
    private let isTerminal = isatty(2) == 1
    private var lastDraw = Date.distantPast
    private var lastPlainLine = Date.distantPast
    private var chunks = 0
    private var embeddingStart: Date?

    func show(_ event: IndexEvent) {
        switch event {
        case .scanning(let root):
            line("scanning \(root)")
        case .indexed(let path, let chunkCount, let done, let total):
            chunks += chunkCount
            bar("files \(done)/\(total)  chunks \(chunks)  \((path as NSString).lastPathComponent)", fraction: Double(done) / Double(max(total, 1)))
        case .skipped(let path, let reason):
            line("skipped \(path): \(reason)")
        case .removed(let path):
            line("removed \(path)")
        case .embedding(let done, let total, let rate):
            let start = embeddingStart ?? Date()
            embeddingStart = start
            let elapsed = Date().timeIntervalSince(start)
            let eta = done > 0 ? String(format: "  ETA %.0fs", Double(total - done) * elapsed / Double(done)) : ""
            bar(String(format: "embedding %d/%d chunks  %.0f tokens/s", done, total, rate) + eta, fraction: Double(done) / Double(max(total, 1)))
        case .finished:
            break
        case .problem(let message):
            line("warning: \(message)")
        }
    }

    func finish(_ summary: IndexSummary) {
        if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        let text = "indexed \(summary.filesIndexed) files (\(summary.chunksWritten) chunks), \(summary.filesUnchanged) unchanged, "
            + "\(summary.filesTouched) touched, \(summary.filesSkipped) skipped, \(summary.filesRemoved) removed; "
            + "embedded \(summary.chunksEmbedded) chunks"
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    private func line(_ text: String) {
        if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    private func bar(_ text: String, fraction: Double) {
        let now = Date()
        if isTerminal {
            guard now.timeIntervalSince(lastDraw) > 0.1 || fraction >= 1 else { return }
            lastDraw = now
            let width = 24
            let filled = Int((fraction * Double(width)).rounded())
            let drawn = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            FileHandle.standardError.write(Data("\r\u{1B}[K\(drawn) \(text)".utf8))
        } else if now.timeIntervalSince(lastPlainLine) > 2 || fraction >= 1 {
            lastPlainLine = now
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }
}
