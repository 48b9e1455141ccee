import Foundation

/// What a face holds of an index kept fresh in the background (`LiveIndex` in Indexing): it can stop it, and
/// ask it to embed the chunks behind what is on screen first. The screen depends on this, not on Indexing.
public protocol BackgroundIndexing: AnyObject, Sendable {
    /// Embeds these chunk contents (those still without a vector) before the rest of the queue.
    func prioritize(_ contentHashes: [Data])
    /// Ends watching and indexing; a run in progress stops between two files or batches.
    func stop()
    /// What is watched, for the status bar (`watching 3 folders`, or why not all are).
    var watchSummary: String { get }
}
