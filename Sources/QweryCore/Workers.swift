import Corpus
import Documents
import Foundation
import Syntax

/// The two worker processes the qwery executable runs of itself: document extraction (`qwery extract-worker`,
/// one document per process, under limits) and code parsing (`qwery syntax-worker`, long-lived). A crash
/// in either costs one file, not the indexer or the screen.
package enum Workers {
    /// Why a worker's arguments were refused.
    package struct ArgumentError: Error, CustomStringConvertible {
        package let description: String
    }

    /// Extracts the document on standard input as `format` under `limits` (the JSON the indexer passes) and
    /// writes its text; the exit status.
    package static func extract(format name: String, limits json: String) throws -> Int32 {
        guard let format = DocumentFormat(rawValue: name) else {
            throw ArgumentError(description: "unknown document format '\(name)': use pdf, docx, odt, epub, html or notebook")
        }
        guard let limits = try? JSONDecoder().decode(ExtractionLimits.self, from: Data(json.utf8)) else {
            throw ArgumentError(description: "the limits argument is not the JSON the indexer writes")
        }
        return ExtractionWorker.run(format: format, limits: limits)
    }

    /// Outlines and highlights code sent on standard input until it closes; the exit status.
    package static func serveSyntax() -> Int32 { SyntaxWorker.serve() }
}

/// A program run on the user's terminal — the editor at a hit's line, a document viewer at its page — while the
/// screen is suspended.
package enum TerminalCommand {
    /// Runs `arguments` (the program looked up on PATH) with this terminal and waits for it; nil, or why it
    /// could not start.
    package static func run(_ arguments: [String]) -> String? {
        switch ChildProcess.run(arguments, input: .inherited, output: .inherited, error: .inherited) {
        case .success: return nil
        case .failure(let failure): return failure.reason
        }
    }

    /// Runs `arguments` with no input and its output discarded, and waits: its wait status (the bench times
    /// whole `qwery search` processes this way).
    package static func runQuietly(_ arguments: [String]) -> Result<Int32, ChildProcess.SpawnFailure> {
        ChildProcess.run(arguments, searchPath: false)
    }
}
