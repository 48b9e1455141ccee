import Foundation
import Synchronization
import Testing
@testable import Indexing

/// inotify watching: edits, new folders, save-by-rename and deletions are reported, bursts coalesced.
@Suite("File watcher", .serialized)
struct FileWatcherTests {
    /// Roots reported by the watcher, collected across threads.
    final class Reports: Sendable {
        private let batches = Mutex<[[String]]>([])
        func add(_ roots: [String]) { batches.withLock { $0.append(roots) } }
        var count: Int { batches.withLock { $0.count } }
        var all: [[String]] { batches.withLock { $0 } }

        /// Waits up to `seconds` for a batch beyond `previous`; returns whether one came.
        func wait(beyond previous: Int, seconds: Double = 2) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if count > previous { return true }
                usleep(20_000)
            }
            return count > previous
        }
    }

    @Test("Given a watched tree, when files and folders change, then each change is reported within 2 s")
    func reportsChanges() throws {
        let tree = try TemporaryTree()
        try tree.write("notes/a.md", "a")
        let reports = Reports()
        let watcher = try FileWatcher(roots: [tree.root], quietPeriod: 0.1) { reports.add($0) }
        watcher.start()
        defer { watcher.stop() }
        #expect(watcher.watchedFolderCount == 2)

        try tree.write("notes/a.md", "a, edited")
        #expect(reports.wait(beyond: 0))
        #expect(reports.all.last == [tree.root])

        // A new folder, then a file inside it: the folder is watched as soon as it appears.
        try FileManager.default.createDirectory(atPath: tree.path("notes/new/deeper"), withIntermediateDirectories: true)
        #expect(reports.wait(beyond: 1))
        let beforeFile = reports.count
        try tree.write("notes/new/deeper/b.md", "b")
        #expect(reports.wait(beyond: beforeFile))

        // An editor's save: write a temporary file, rename it over the original.
        let beforeSave = reports.count
        try tree.write("notes/.a.md.swp", "a, saved by rename")
        try FileManager.default.removeItem(atPath: tree.path("notes/a.md"))
        try FileManager.default.moveItem(atPath: tree.path("notes/.a.md.swp"), toPath: tree.path("notes/a.md"))
        #expect(reports.wait(beyond: beforeSave))

        let beforeDelete = reports.count
        try tree.remove("notes/new")
        #expect(reports.wait(beyond: beforeDelete))
    }

    @Test("Given a burst of 200 writes, when watched, then they are reported as a few batches")
    func coalescesBursts() throws {
        let tree = try TemporaryTree()
        let reports = Reports()
        let watcher = try FileWatcher(roots: [tree.root], quietPeriod: 0.3) { reports.add($0) }
        watcher.start()
        defer { watcher.stop() }
        for index in 0..<200 { try tree.write("f\(index).txt", "\(index)") }
        #expect(reports.wait(beyond: 0))
        usleep(500_000)
        #expect(reports.count <= 3)
    }
}

/// The watcher and the indexer together, as the TUI runs them.
@Suite("Live index", .serialized)
struct LiveIndexTests {
    @Test("Given a live index, when a note is saved, then its chunks are in the index within 2 s")
    func savedNoteIsIndexed() throws {
        let tree = try TemporaryTree()
        try tree.write("a.md", "# First\n\nAlpha.\n")
        let indexer = try IndexerTests.indexer(tree)
        let finished = FileWatcherTests.Reports()
        let live = LiveIndex(indexer: indexer, roots: [tree.root]) { event in
            if case .finished = event { finished.add([]) }
        }
        try live.start()
        defer { live.stop() }
        #expect(finished.wait(beyond: 0, seconds: 10))
        #expect(try indexer.database.status().chunks == 1)

        let before = finished.count
        let saved = Date()
        try tree.write("sub/b.md", "# Second\n\nBravo, a note written while the app runs.\n")
        #expect(finished.wait(beyond: before))
        while live.isBusy && Date().timeIntervalSince(saved) < 2 { usleep(10_000) }
        #expect(Date().timeIntervalSince(saved) < 2)
        #expect(try indexer.database.status().chunks == 2)
        #expect(try indexer.database.file(path: tree.path("sub/b.md"))?.status == .indexed)
    }
}
