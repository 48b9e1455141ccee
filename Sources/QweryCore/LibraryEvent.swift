import Corpus

/// What a live session tells the face that runs it, in one stream (`LiveSession`'s event map says who
/// sends what).
package enum LibraryEvent: Sendable, Equatable {
    /// Indexing progress: scanning, files indexed, skipped or removed, embedding, finished, problems.
    case indexing(IndexEvent)
    /// Vectors another process wrote were read in: semantic search now reaches `searchable` of them.
    case vectorsFollowed(searchable: Int)
}
