import Corpus
import Engine
import Search
import Store
import Syntax

// The words the faces (screen, commands, MCP) use, named here so that a face imports QweryCore and nothing
// below it. Each is a value — what a face shows, passes back or prints — never machinery: searching,
// indexing, models and the store are reached through `Library`, `ScreenSession` and the server client.
// A type not listed here is not a face's business (`LayoutTests` checks that faces import QweryCore only).

/// One ranked hit: path, lines, text, scores, symbol and locator.
package typealias SearchResult = Search.SearchResult
/// The query line parsed once: text, filters, symbol and highlight terms, whether it is reranked.
package typealias QueryAnalysis = Search.QueryAnalysis
/// A named instruction for the embedding model (`notes`, `code`, `web`, or the config's).
package typealias InstructionPreset = Search.InstructionPreset
/// How the rerank pass orders its results (re-order, or blend with the fused rank for code).
package typealias RerankPolicy = Search.RerankPolicy
/// Text from a file made safe for a terminal (control characters and escapes shown, never run).
package typealias TerminalText = Search.TerminalText
/// Why "more like this" could not run (no such chunk, no vector yet).
package typealias SimilarError = Search.SimilarError
/// Indexing progress and problems, as every face shows them.
package typealias IndexEvent = Corpus.IndexEvent
/// What one indexing run did.
package typealias IndexSummary = Corpus.IndexSummary
/// What the index holds: folders, counts, models and their vectors, skipped files.
package typealias IndexStatus = Store.IndexStatus
/// A path as the index compares paths (one file however its path is spelled).
package typealias PathKey = Store.PathKey
/// How an index is opened: to read and write, or to read only (never created).
package typealias IndexAccess = Store.AppDatabase.Access
/// Where inside a document a chunk is (a PDF page, a notebook cell).
package typealias Locator = Corpus.Locator
/// PDF, DOCX, ODT, EPUB, HTML, notebooks: which documents are read as text.
package typealias DocumentFormat = Corpus.DocumentFormat
/// The running executable's path (the screen finds its themes beside it).
package typealias ExecutablePath = Corpus.ExecutablePath
/// exact, fast or int8: how the engine multiplies (chosen by measurement unless set).
package typealias Precision = Engine.Precision
/// qwery's version, as `--version` prints it.
package typealias QweryVersion = Engine.QweryVersion
/// This CPU in one line (model, family, the vector instructions qwery uses), printed beside every figure.
package typealias CPUDescription = Engine.CPUDescription
/// One coloured run of a previewed line, and its kind.
package typealias HighlightRun = Syntax.HighlightRun
package typealias SyntaxKind = Syntax.SyntaxKind

extension ScreenSession {
    /// The instruction presets every face offers without a config file.
    package static let builtInPresets = InstructionPreset.builtIn

    /// The order the screen shows while rerank scores arrive: the rerank policy's, over the top `depth`.
    package static func reordered(_ results: [SearchResult], depth: Int, policy: RerankPolicy) -> [SearchResult] {
        RerankPass.reordered(results, depth: depth, policy: policy)
    }
}
