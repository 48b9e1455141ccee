import QweryCore
import Foundation

/// Everything that can change the app's state: keys (through the keymap) and background events.
package enum Action: Sendable {
    // Query line
    case insert(String)
    case deleteBackward, deleteForward
    case cursorLeft, cursorRight, cursorHome, cursorEnd, wordLeft, wordRight
    case killToStart, killToEnd, killWordBackward
    // Results and preview
    case moveSelection(Int)
    case pageUp, pageDown
    case selectRow(Int)
    case scroll(Int)
    case scrollPreview(Int)
    case toggleFocus
    case open
    // Live tweaks
    case cycleDimensions
    case cyclePreset
    case cycleTheme
    case editInstruction
    case toggleRerank
    /// More like the selected result: the query becomes `similar:PATH:LINE`.
    case similarToSelection
    case toggleHelp
    case escape
    case quit
    case resize(rows: Int, columns: Int)
    // Background events
    case results(generation: Int, results: [SearchResult], phase: SearchPhase, milliseconds: Double)
    case rerankScore(generation: Int, chunkId: Int64, score: Float, done: Int, total: Int)
    case rerankFinished(generation: Int, milliseconds: Double)
    case indexEvent(IndexEvent)
    /// A batch of vectors was committed and is searchable: `searchable` vectors now, `remaining` chunks to go.
    case semanticCoverage(searchable: Int, remaining: Int)
    /// A file's lines for the preview, with its syntax highlighting (one parse, off the main thread) when a grammar has it.
    case previewLoaded(path: String, lines: [String], highlights: [[HighlightRun]]? = nil)
    case notice(String)
    /// "More like this" could not run (its chunk has no vector yet): the screen goes back to what it showed.
    case similarFailed(generation: Int, message: String)
    /// Work under way that is no problem (a precision being measured): shown without a warning sign; nil when done.
    case activity(String?)
    /// What the folder watcher covers ("watching 3 folders", or why it cannot).
    case watching(String)
    /// The models finished loading in the background; semantic search is available when vectors exist.
    case engineReady(semanticAvailable: Bool, indexing: Bool, rerankPolicy: RerankPolicy)
    /// A running `qwery watch` (this pid) answers the searches and indexes; the screen loads no model.
    case served(pid: Int32)
    /// The models could not be loaded; qwery stays lexical-only and says why.
    case engineFailed(String)
}

/// Work the reducer asks for; the event loop carries it out.
package enum Effect: Sendable, Equatable {
    case search(ScreenQuery)
    case loadPreview(path: String)
    case openEditor(path: String, line: Int)
    /// A PDF, DOCX, ODT or EPUB: a viewer, at the hit's page when it has one.
    case openDocument(path: String, page: Int?)
    /// Embed these chunk contents before the rest of the queue (those without a vector yet).
    case prioritizeEmbedding([Data])
    /// Load the theme of this name and draw with it from now on.
    case applyTheme(String)
    case quit
}
