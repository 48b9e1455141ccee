import Corpus
import Foundation
import Indexing
import Search

// When does a new vector become searchable? Who tells whom:
//
//   FileWatcher ──changed roots──> LiveIndex ──one run at a time──> Indexer
//   Indexer/LiveIndex ──IndexEvent──> LiveSession ──.indexing(event)──> face   (progress, problems)
//   and on the events that mean "the store's vectors changed", LiveSession ──> SearchService.syncVectors:
//     .embedding (a batch was committed)            searchable at once
//     .finished (a run ended; removed files' vectors go)
//     .followedWriter (every 2 s while another process writes) ──.vectorsFollowed(n)──> face
//
// So the search side keeps its vectors fresh one way — it reads the store — and a vector this process
// embeds is searchable when its batch commits; one another process (a screen, `qwery watch`) embeds,
// within 2 s. Every face gets one event sink; no other closure crosses modules.
//
// A sink, not an AsyncStream: the screen, `watch` and `mcp` run loops of their own, so a stream would need a
// task per face to forward it, and tasks run on the cooperative pool — two threads on a 2-core machine, which
// blocking work can fill. Tried: with the screen forwarding a stream, its headless event-loop test never saw
// `indexed` in 150 s while the suite ran. The sink is called in order on the indexing thread, so events
// arrive in the order they happen, whatever else is running.

/// The index kept fresh in the background for one face, feeding that face's search service.
package final class LiveSession: Sendable {
    private let live: LiveIndex

    init(library: Library, roots: [String], feeding service: SearchService?, shouldStop: (@Sendable () -> Bool)?,
         emit: @escaping @Sendable (LibraryEvent) -> Void) throws {
        let indexer = try library.makeIndexer(shouldStop: shouldStop)
        live = LiveIndex(indexer: indexer, roots: roots) { event in
            switch event {
            // A failed read leaves the vectors as they were; the next event reads again.
            case .embedding(let done, _, _) where done > 0: _ = try? service?.syncVectors()
            case .finished: _ = try? service?.syncVectors(everything: true)
            case .followedWriter:
                if let service, (try? service.syncVectors()) == true { emit(.vectorsFollowed(searchable: service.vectorCount)) }
                return
            default: break
            }
            emit(.indexing(event))
        }
        try live.start()
    }

    package func prioritize(_ contentHashes: [Data]) { live.prioritize(contentHashes) }
    package func stop() { live.stop() }
    package var watchSummary: String { live.watchSummary }
    /// Whether a run is going on or waiting.
    package var isBusy: Bool { live.isBusy }
    /// Blocks until the run in progress (if any) has returned.
    package func waitUntilIdle() { live.waitUntilIdle() }
}
