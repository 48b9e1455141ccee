import Corpus
import Engine
import Foundation
import Synchronization
import Testing
@testable import Indexing

/// inotify watching: edits, new folders, save-by-rename and deletions are reported, bursts coalesced.
@Suite("File watcher", .serialized)
struct FileWatcherTests {
    /// Roots reported by the watcher, collected across threads. Waiting is on a condition the reports
    /// signal, not on sleeps; the timeout only ends a test whose watcher never reports, it decides nothing.
    final class Reports: @unchecked Sendable {
        private let condition = NSCondition()
        private var batches: [[String]] = []

        func add(_ roots: [String]) {
            condition.lock()
            batches.append(roots)
            condition.broadcast()
            condition.unlock()
        }

        var count: Int { condition.withLock { batches.count } }
        var all: [[String]] { condition.withLock { batches } }

        /// Waits for a batch beyond `previous`; false only if none came within `hangGuard` seconds.
        func wait(beyond previous: Int, hangGuard: TimeInterval = 60) -> Bool {
            let limit = Date().addingTimeInterval(hangGuard)
            condition.lock()
            defer { condition.unlock() }
            while batches.count <= previous {
                if !condition.wait(until: limit) { return batches.count > previous }
            }
            return true
        }
    }

    @Test("Given a watched tree, when files and folders change, then each change is reported")
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

    @Test("Given a root whose .gitignore leaves build/ out, when folders appear under build/ and elsewhere, then only the kept ones are watched")
    func newFoldersFollowRootRules() throws {
        let tree = try TemporaryTree()
        try tree.write(".gitignore", "build/\n")
        try FileManager.default.createDirectory(atPath: tree.path("build"), withIntermediateDirectories: true)
        let reports = Reports()
        let watcher = try FileWatcher(roots: [tree.root], quietPeriod: 0.05) { reports.add($0) }
        watcher.start()
        defer { watcher.stop() }
        let initial = watcher.watchedFolderCount
        #expect(initial == 1)

        // A new folder with an ignored folder inside: before, a new folder got only its own rules.
        try FileManager.default.createDirectory(atPath: tree.path("kept/build/deep"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: tree.path("notes/sub"), withIntermediateDirectories: true)
        var seen = 0
        while watcher.watchedFolderCount < initial + 3 {
            try #require(reports.wait(beyond: seen), "watching \(watcher.watchedFolderCount) folders")
            seen = reports.count
        }

        // kept, notes, notes/sub — not kept/build (the root's build/ pattern matches at any depth) nor below it.
        #expect(watcher.watchedFolderCount == initial + 3)
        #expect(watcher.summary == "watching \(initial + 3) folders")
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
        // A marker written after the first report makes one more batch: were the burst reported file by
        // file, 200 batches would be counted by then instead of at most two.
        try tree.write("marker.txt", "after the burst")
        #expect(reports.wait(beyond: 1))
        #expect(reports.count <= 2, "\(reports.count) batches")
    }
}

/// The watcher and the indexer together, as the TUI runs them.
@Suite("Live index", .serialized)
struct LiveIndexTests {
    @Test("Given a live index, when a note is saved, then its chunks are in the index after the next run")
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
        #expect(finished.wait(beyond: 0))
        #expect(try indexer.database.status().chunks == 1)

        var runs = finished.count
        try tree.write("sub/b.md", "# Second\n\nBravo, a note written while the app runs.\n")
        // The new folder and the new file may each start a run: wait for runs until the note is in.
        repeat {
            try #require(finished.wait(beyond: runs), "no run indexed sub/b.md")
            runs = finished.count
        } while try indexer.database.status().chunks < 2
        #expect(try indexer.database.status().chunks == 2)
        #expect(try indexer.database.file(path: tree.path("sub/b.md"))?.status == .indexed)
    }

    /// Index events as they arrive, and a bounded wait for one that matters.
    final class Events: @unchecked Sendable {
        // @unchecked: `events` is guarded by `condition`.
        private let condition = NSCondition()
        private var events: [IndexEvent] = []

        func add(_ event: IndexEvent) {
            condition.withLock {
                events.append(event)
                condition.broadcast()
            }
        }

        var all: [IndexEvent] { condition.withLock { events } }

        /// Waits until an event matches; false only if none did within `hangGuard` seconds.
        func wait(hangGuard: TimeInterval = 60, for matches: (IndexEvent) -> Bool) -> Bool {
            let limit = Date().addingTimeInterval(hangGuard)
            condition.lock()
            defer { condition.unlock() }
            while !events.contains(where: matches) {
                if !condition.wait(until: limit) { return events.contains(where: matches) }
            }
            return true
        }
    }

    @Test("Given a first index whose embedding pass is under way, when a note is saved, then it is chunked beside the pass and embedded next")
    func noteSavedDuringEmbeddingIsSearchable() throws {
        let tree = try TemporaryTree()
        for index in 0..<40 { try tree.write("old/n\(index).md", IndexerTests.note(sections: ["Old note number \(index)."])) }
        let scheduler = EngineScheduler()
        var configuration = Indexer.Configuration()
        configuration.scheduler = scheduler
        let indexer = try IndexerTests.indexer(tree, configuration: configuration)
        let events = Events()
        let live = LiveIndex(indexer: indexer, roots: [tree.root]) { events.add($0) }
        // The test holds the engine as a long query would, so the first index's pass starts and then stays
        // paused inside its first batch: a pass that takes as long as the test wants, with no timing involved.
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        Thread { scheduler.interactive { holding.signal(); release.wait() } }.start()
        holding.wait()
        try live.start()
        defer { live.stop() }
        scheduler.waitUntilPaused(1)
        #expect(events.all.contains { if case .embedding = $0 { true } else { false } })

        try tree.write("old/kyoto.md", "# Kyoto\n\nThe lantern persimmon alley at dusk.\n")
        let seen = events.wait { event in
            if case .changesIndexed(let summary) = event { return summary.filesIndexed == 1 }
            return false
        }
        #expect(seen, "the saved note was not scanned while the pass was paused")
        #expect(!events.all.contains { if case .finished = $0 { true } else { false } }, "the pass ended early")
        #expect(try indexer.database.file(path: tree.path("old/kyoto.md"))?.status == .indexed)
        let modelId = try #require(indexer.modelRecord?.id)
        // Newest files first: the saved note is the next chunk the pass embeds.
        #expect(try indexer.database.pendingEmbeddings(modelId: modelId, limit: 1).first?.text.contains("lantern persimmon") == true)

        release.signal()
        #expect(events.wait { if case .finished = $0 { true } else { false } })
        live.waitUntilIdle()
        #expect(try indexer.database.pendingEmbeddingCount(modelId: modelId) == 0)
        #expect(try indexer.database.status().chunks == 41)
    }
}
