import Foundation
import QweryCore

/// Shows indexing progress on stderr: one redrawn bar on a terminal, plain lines otherwise.
final class ProgressDisplay {
    private var lastDraw = Date.distantPast
    private var lastPlainLine = Date.distantPast
    private var chunks = 0
    private var embeddingStart: Date?

    func show(_ event: IndexEvent) {
        switch event {
        case .scanning(let root):
            TerminalStatus.line("scanning \(root)")
        case .indexed(let path, let chunkCount, let done, let total):
            chunks += chunkCount
            bar("files \(done)/\(total)  chunks \(chunks)  \((path as NSString).lastPathComponent)", fraction: Double(done) / Double(max(total, 1)))
        case .skipped(let path, let reason):
            TerminalStatus.line("skipped \(path): \(reason)")
        case .removed(let path):
            TerminalStatus.line("removed \(path)")
        case .embedding(let done, let total, let rate):
            let start = embeddingStart ?? Date()
            embeddingStart = start
            let elapsed = Date().timeIntervalSince(start)
            let eta = done > 0 ? String(format: "  ETA %.0fs", Double(total - done) * elapsed / Double(done)) : ""
            bar(String(format: "embedding %d/%d chunks  %.0f tokens/s", done, total, rate) + eta, fraction: Double(done) / Double(max(total, 1)))
        case .finished, .followedWriter, .changesIndexed:
            break
        case .problem(let message):
            TerminalStatus.line("warning: \(message)")
        case .followingWriter(let pid):
            TerminalStatus.line("another qwery" + (pid.map { " (pid \($0))" } ?? "") + " is indexing this index; waiting for it")
        case .waitingForWatcher(let pid):
            TerminalStatus.line("another qwery" + (pid.map { " (pid \($0))" } ?? "")
                + " is watching these folders and keeps this index fresh already; waiting for it to exit (Ctrl-C to stop waiting)")
        }
    }

    func finish(_ summary: IndexSummary) {
        TerminalStatus.clear()
        let rechunked = summary.filesRechunked > 0
            ? ", \(summary.filesRechunked) of them unchanged but chunked again (a grammar installed or rebuilt, or new chunking rules)" : ""
        let text = "indexed \(summary.filesIndexed) files (\(summary.chunksWritten) chunks\(rechunked)), \(summary.filesUnchanged) unchanged, "
            + "\(summary.filesTouched) touched, \(summary.filesSkipped) skipped, \(summary.filesRemoved) removed; "
            + "embedded \(summary.chunksEmbedded) chunks"
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    private func bar(_ text: String, fraction: Double) {
        let now = Date()
        if TerminalStatus.isTerminal {
            guard now.timeIntervalSince(lastDraw) > 0.1 || fraction >= 1 else { return }
            lastDraw = now
            TerminalStatus.bar(text, fraction: fraction)
        } else if now.timeIntervalSince(lastPlainLine) > 2 || fraction >= 1 {
            lastPlainLine = now
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }
}
