import Corpus
import Foundation
import Indexing
import Search

// When does a new vector become searchable? Who tells whom:
//
//   FileWatcher ──changed roots──> LiveIndex ──one run at a time──> Indexer
//   Indexer ──batch of vectors committed──> SearchService.appendVectors         searchable at once
//   Indexer/LiveIndex ──IndexEvent──> LiveSession ──.indexing(event)──> face   (progress, problems)
//   LiveIndex ──.finished──> SearchService.refreshVectors                       (vectors of removed files go)
//   LiveIndex, following another process's writes, every 2 s
//             ──> SearchService.refreshVectorsIfChanged ──.vectorsFollowed(n)──> face
//
// So a vector this process embeds is searchable when its batch commits; one another process (a screen,
// `qwery watch`) embeds, within 2 s. Every face gets one event sink; no other closure crosses modules.

/// The index kept fresh in the background for one face, feeding that face's search service.
public final class LiveSession: BackgroundIndexing, Sendable {
    private let live: LiveIndex

    init(library: Library, roots: [String], feeding service: SearchService?, shouldStop: (@Sendable () -> Bool)?,
         emit: @escaping @Sendable (LibraryEvent) -> Void) throws {
        let indexer = try library.makeIndexer()
        indexer.shouldStop = shouldStop
        live = LiveIndex(indexer: indexer, roots: roots) { event in
            if case .finished = event { try? service?.refreshVectors() }
            emit(.indexing(event))
        }
        if let service {
            indexer.vectorsSaved = { service.appendVectors($0) }
            live.onFollow = {
                if (try? service.refreshVectorsIfChanged()) == true { emit(.vectorsFollowed(searchable: service.vectorCount)) }
            }
        }
        try live.start()
    }

    public func prioritize(_ contentHashes: [Data]) { live.prioritize(contentHashes) }
    public func stop() { live.stop() }
    public var watchSummary: String { live.watchSummary }
    /// Whether a run is going on or waiting.
    public var isBusy: Bool { live.isBusy }
    /// Blocks until the run in progress (if any) has returned.
    public func waitUntilIdle() { live.waitUntilIdle() }
}
