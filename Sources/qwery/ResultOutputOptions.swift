import ArgumentParser
import Foundation
import QweryCore

/// How `search` and `similar` print results: plain (optionally with context and explanations), JSON Lines,
/// `--vimgrep` or `-l`; and the grep-like exit status (0 found, 1 nothing; errors exit 2 in `Qwery.main`).
struct ResultOutputOptions: ParsableArguments {
    @Flag(name: .long, help: "One JSON object per result, one per line.")
    var json = false

    @Flag(name: .long, help: "Show how each score was formed.")
    var explain = false

    @Flag(name: .long, help: "One line per result, path:line:column:text (as rg --vimgrep; for vim's :grep and editors).")
    var vimgrep = false

    @Flag(name: [.customShort("l"), .customLong("files-with-matches")], help: "Only the paths, each once, in rank order.")
    var filesWithMatches = false

    @Option(name: [.customShort("C"), .customLong("context")], help: "Lines of context around each result's best line.")
    var contextLines = 0

    @Option(name: .long, help: "Colour and hyperlinks: auto (on a terminal without NO_COLOR), always or never.")
    var color: ColorChoice = .auto

    enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
        case auto, always, never
    }

    /// Machine-readable modes print nothing but results.
    var quiet: Bool { json || vimgrep || filesWithMatches }

    func validate() throws {
        try OptionBounds.check("-C/--context", contextLines, in: OptionBounds.contextLines)
        if [json, vimgrep, filesWithMatches].filter({ $0 }).count > 1 {
            throw ValidationError("Choose one output: --json, --vimgrep or --files-with-matches.")
        }
    }

    /// The cosine similarity a result found by meaning alone needs to count as a match in a grep mode.
    static let semanticMatchFloor: Float = 0.6

    /// Whether the output is read by a tool as matches (`--vimgrep`, `-l`, `-C`): then only what matches counts.
    var isGrepMode: Bool { vimgrep || filesWithMatches || contextLines > 0 }

    /// In grep modes, the results that match: found lexically, listed by filters alone, or found by meaning
    /// with a similarity of at least `semanticMatchFloor` — so a typo in vim's `:grep` gives no quickfix noise
    /// and exit 1, as ripgrep does. Other modes show the ranked list as it is.
    func matching(_ results: [SearchResult]) -> [SearchResult] {
        guard isGrepMode else { return results }
        return results.filter { $0.lexicalRank != nil || ResultPrinter.isListed($0) || ($0.vectorScore ?? 0) >= Self.semanticMatchFloor }
    }

    /// Prints `results` in the chosen form; throws `ExitCode(1)` when there are none, like grep.
    func print(_ results: [SearchResult], query: String, coverage: (vectors: Int, chunks: Int)? = nil) throws {
        let results = matching(results)
        let terminal = isatty(1) == 1
        let colour = color == .always || (color == .auto && terminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
        var printer = ResultPrinter(query: query, colour: colour)
        printer.contextLines = contextLines
        printer.hyperlinks = colour && terminal
        printer.coverage = coverage
        if filesWithMatches {
            var seen = Set<PathKey>()
            for result in results {
                for path in [result.path] + result.identicalPaths where seen.insert(PathKey(path)).inserted { Swift.print(printer.displayPath(path)) }
            }
        } else {
            for (index, result) in results.enumerated() {
                Swift.print(json ? printer.json(result, rank: index + 1)
                            : vimgrep ? printer.vimgrep(result) : printer.text(result, rank: index + 1, explain: explain))
                if vimgrep {
                    // Each file holding the chunk is a match for an editor's quickfix list.
                    for path in result.identicalPaths { Swift.print(printer.vimgrep(result, path: path)) }
                }
            }
        }
        if results.isEmpty {
            if !quiet { FileHandle.standardError.write(Data("qwery: no results\n".utf8)) }
            throw ExitCode(1)
        }
    }
}
