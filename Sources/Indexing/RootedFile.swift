import Corpus
import Foundation

/// Lines of a file read by `RootedFile`: at most `RootedFile.maximumBytes` of text.
package struct RootedText: Sendable, Equatable {
    /// The real path.
    package let path: String
    package let text: String
    /// The lines the text holds (1-based, inclusive).
    package let lines: ClosedRange<Int>
    /// Where to continue when the range asked for was longer than the limit; nil when it is all here.
    package let nextLine: Int?
    /// The last line is itself longer than the limit: only its start is here.
    package let lineCut: Bool
}

/// Reading a file by a path an outside party gave (an agent's `get`), confined to the indexed folders.
///
/// The path is resolved to its real location first (symbolic links, `..`), and only a regular file inside
/// one of the roots is read, through the same `O_NOFOLLOW | O_NONBLOCK` read as indexing — so neither an
/// absolute path elsewhere, nor a `..` escape, nor a link out of a root, nor a FIFO or device gets through
/// (ck's MCP `get` read any file on disk: ck #112).
package struct RootedFile: Sendable {
    /// Why a path is refused, as a sentence for the caller.
    package enum Refusal: Error, Equatable, CustomStringConvertible {
        case outsideRoots(path: String, roots: [String])
        case missing(path: String)
        case unreadable(path: String, reason: String)
        case badRange(String)
        /// A file the index leaves out (hidden, ignored, too large): never served.
        case leftOut(path: String, reason: String)

        package var description: String {
            switch self {
            case .outsideRoots(let path, let roots):
                return "\(path) is outside the indexed folders (\(roots.joined(separator: ", "))); only files inside them can be read."
            case .missing(let path): return "There is no file at \(path)."
            case .unreadable(let path, let reason): return "\(path) was not read: \(reason)."
            case .badRange(let message): return message
            case .leftOut(let path, let reason):
                return "\(path) is not served: \(reason). Only what the index holds can be read (see qwery status for what it leaves out)."
            }
        }
    }

    /// Real paths of the indexed folders.
    package let roots: [String]

    package init(roots: [String]) {
        self.roots = roots.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
    }

    /// The real path of `path` (absolute, or relative to one of the roots) when it lies inside a root.
    package func resolve(_ path: String) throws(Refusal) -> String {
        try resolveWithRoot(path).real
    }

    /// The real path and the (deepest) root that holds it.
    package func resolveWithRoot(_ path: String) throws(Refusal) -> (real: String, root: String) {
        let candidates = path.hasPrefix("/") ? [path] : roots.map { $0 + "/" + path }
        var outside: String?
        for candidate in candidates {
            let real = URL(fileURLWithPath: candidate).standardizedFileURL.resolvingSymlinksInPath().path
            let holding = roots.filter { real == $0 || real.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
            if let root = holding.max(by: { $0.count < $1.count }) {
                guard FileManager.default.fileExists(atPath: real) else { throw .missing(path: path) }
                return (real, root)
            }
            outside = outside ?? real
        }
        throw .outsideRoots(path: outside ?? path, roots: roots)
    }

    /// The most text one read returns (256 KiB): a 10 MB file would be 20 MB of JSON for an agent. A longer
    /// range ends at the last whole line that fits; the caller asks again from the next line.
    package static let maximumBytes = 256 << 10

    /// The text of lines `startLine…endLine` (1-based, inclusive; the whole file by default) and the real path,
    /// cut after the last line within `maximumBytes` (then `lines` ends before the range asked for).
    /// A document (PDF, DOCX…) reads as the text extracted from it when indexed (`documentText` of its real
    /// path), with `─── page N ───` markers; `locator` then picks one page or cell.
    package func read(_ path: String, startLine: Int? = nil, endLine: Int? = nil, locator: Locator? = nil,
                     documentText: (String) -> String? = { _ in nil }, maximumBytes: Int = RootedFile.maximumBytes,
                     exclusion: (_ realPath: String, _ root: String) -> String? = { _, _ in nil }) throws(Refusal) -> RootedText {
        let (real, root) = try resolveWithRoot(path)
        if let reason = exclusion(real, root) { throw .leftOut(path: path, reason: reason) }
        let whole: String
        // A FIFO, socket or device named like a document is no document: say what it is, not "not extracted yet".
        var status = stat()
        if lstat(real, &status) == 0, status.st_mode & S_IFMT != S_IFREG, status.st_mode & S_IFMT != S_IFDIR {
            throw .unreadable(path: path, reason: FileContents.Problem.notRegular("not a regular file (a FIFO, socket or device)").reason)
        }
        if DocumentFormat(path: real) != nil {
            guard let extracted = documentText(real) else {
                throw .unreadable(path: path, reason: "its text has not been extracted yet (it is not indexed: run qwery index, and see qwery status for why it was skipped)")
            }
            whole = extracted
        } else {
            switch FileContents.read(path: real) {
            case .success(let read): whole = read.text
            case .failure(.vanished): throw .missing(path: path)
            case .failure(let problem): throw .unreadable(path: path, reason: problem.reason)
            }
        }
        var startLine = startLine
        var endLine = endLine
        if let locator {
            guard let range = ExtractedDocument.lines(of: locator, in: whole) else {
                throw .badRange("\(path) has no \(locator.label).")
            }
            startLine = range.lowerBound
            endLine = range.upperBound
        }
        var lines = whole.splitLines()
        if lines.count > 1, lines.last == "" { lines.removeLast() }
        let first = startLine ?? 1
        let last = min(endLine ?? lines.count, lines.count)
        guard first >= 1, first <= max(1, last) else {
            throw .badRange("Lines \(first)–\(endLine ?? lines.count) are not in \(path), which has \(lines.count) lines.")
        }
        var end = max(first - 1, last)
        var bytes = 0
        var text: String
        for index in (first - 1)..<end {
            bytes += lines[index].utf8.count + 1
            if bytes > maximumBytes {
                end = max(index, first)
                break
            }
        }
        text = lines.isEmpty ? "" : lines[(first - 1)..<end].joined(separator: "\n")
        var lineCut = false
        if text.utf8.count > maximumBytes {
            // One line longer than the limit (minified code): its start, cut between characters.
            var kept = ""
            for character in text {
                if kept.utf8.count + character.utf8.count > maximumBytes { break }
                kept.append(character)
            }
            text = kept
            lineCut = true
        }
        let lastRequested = max(first - 1, last)
        return RootedText(path: real, text: text, lines: first...max(first, end),
                          nextLine: end < lastRequested ? end + 1 : nil, lineCut: lineCut)
    }
}
