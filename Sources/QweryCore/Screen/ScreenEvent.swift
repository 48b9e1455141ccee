import Corpus
import Foundation
import Search
import Syntax

/// What the screen's session tells the screen, from any thread: search updates of a generation, indexing
/// progress, the models' state. The screen turns each into one of its actions (`LiveSession`'s event map
/// says who sends the indexing events).
package enum ScreenEvent: Sendable {
    case results(generation: Int, results: [SearchResult], phase: SearchPhase, milliseconds: Double)
    case rerankScore(generation: Int, chunkId: Int64, score: Float, done: Int, total: Int)
    case rerankFinished(generation: Int, milliseconds: Double)
    /// "More like this" could not run (its chunk has no vector yet), said as a sentence.
    case similarFailed(generation: Int, message: String)
    case notice(String)
    /// Work under way that is no problem (a precision being measured); nil when done.
    case activity(String?)
    case indexing(IndexEvent)
    /// A batch of vectors was committed (or read in from another process): `searchable` now, `remaining` to go.
    case semanticCoverage(searchable: Int, remaining: Int)
    /// What the folder watcher covers ("watching 3 folders", or why it cannot).
    case watching(String)
    /// The models finished loading; semantic search is there when vectors exist.
    case engineReady(semanticAvailable: Bool, indexing: Bool, rerankPolicy: RerankPolicy)
    /// A running `qwery watch` of this index (this pid) answers the searches and keeps the folders indexed: the
    /// screen loads no model and indexes nothing itself.
    case served(pid: Int32)
    /// The models could not be loaded: search stays lexical, and this says why.
    case engineFailed(String)
}

/// Which step of the search pipeline produced a result list.
package enum SearchPhase: Sendable, Equatable {
    case lexical
    case semantic
}

/// One search the screen asks for: the query line parsed once, with the live settings it runs under.
package struct ScreenQuery: Sendable, Equatable {
    package let generation: Int
    /// The query line, parsed once when it changed.
    package let query: QueryAnalysis
    package let instruction: String
    package let dimensions: Int?
    package let rerank: Bool
    /// "More like this" (F6): the chunk the query line shows as `similar:PATH:LINE`, searched as such — a
    /// request kind, not text to parse back. nil once the line is edited.
    package var similar: SimilarTarget?

    package init(generation: Int, query: QueryAnalysis, instruction: String, dimensions: Int?, rerank: Bool, similar: SimilarTarget? = nil) {
        self.generation = generation
        self.query = query
        self.instruction = instruction
        self.dimensions = dimensions
        self.rerank = rerank
        self.similar = similar
    }
}

/// The chunk a "more like this" search starts from.
package struct SimilarTarget: Sendable, Equatable {
    package let path: String
    package let line: Int

    package init(path: String, line: Int) {
        self.path = path
        self.line = line
    }

    /// How the query line shows it.
    package var queryText: String { "similar:\(path):\(line)" }
}

/// A file as the preview shows it: its lines, and their syntax highlighting when a grammar has it.
package struct ScreenPreview: Sendable {
    package let path: String
    package let lines: [String]
    package let highlights: [[HighlightRun]]?
}
