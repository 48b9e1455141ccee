import CProcess
import Foundation
import Synchronization
import Testing
import Store
@testable import Indexing
#if canImport(Glibc)
import Glibc
#endif

/// The third hostile pass (issue 33): what the walker and watcher leave out, sizes that change under
/// us, bytes that change between hashing and extraction, index paths that are not files.
@Suite("Hostile input, third round", .serialized)
struct ThirdHostileTests {
    @Test("Given an index inside the indexed folder, when walked, then the index, its -wal, -shm and lock are never files of it, and get-style checks say why")
    func ownFilesLeftOut() throws {
        let tree = try TemporaryTree()
        try tree.write("note.md", "a note")
        for name in ["index.sqlite", "index.sqlite-wal", "index.sqlite-shm", "index.sqlite.lock"] { try tree.write(name, "x") }
        var options = Walker.Options()
        options.ownFiles = Set(["", "-wal", "-shm", "-journal", ".lock"].map { tree.path("index.sqlite") + $0 })
        let walker = Walker(options: options)
        var seen: [String] = []
        walker.walk(root: tree.root) { seen.append(($0.path as NSString).lastPathComponent) }
        #expect(seen == ["note.md"])
        #expect(walker.exclusion(of: tree.path("index.sqlite-wal"), root: tree.root) == "it is qwery's own index file")
        #expect(walker.exclusion(of: tree.path("note.md"), root: tree.root) == nil)
    }

    /// Appends to a file until stopped, from another thread.
    final class Appender: @unchecked Sendable {
        private let stopped = Atomic<Bool>(false)
        private let runningFlag = Atomic<Bool>(true)
        var running: Bool { runningFlag.load(ordering: .relaxed) }

        init(_ path: String) {
            Thread.detachNewThread { [self] in
                let started = Date()
                // The cap only ends a test that already failed; it decides nothing.
                while !stopped.load(ordering: .relaxed), Date().timeIntervalSince(started) < 90 {
                    if let handle = FileHandle(forWritingAtPath: path) {
                        handle.seekToEndOfFile()
                        handle.write(Data("line\n".utf8))
                        try? handle.close()
                    }
                    usleep(20_000)
                }
                runningFlag.store(false, ordering: .relaxed)
            }
        }

        func stop() { stopped.store(true, ordering: .relaxed) }
    }

    @Test("Given an ignored log appended every 20 ms, when a note is written, then the watcher reports it while the appends go on")
    func ignoredChurnDoesNotStarve() throws {
        let tree = try TemporaryTree()
        try tree.write(".gitignore", "app.log\n")
        try tree.write("app.log", "")
        let reports = FileWatcherTests.Reports()
        let watcher = try FileWatcher(roots: [tree.root], walker: Walker()) { reports.add($0) }
        watcher.start()
        defer { watcher.stop() }
        let appender = Appender(tree.path("app.log"))
        defer { appender.stop() }
        usleep(300_000)
        let before = reports.count
        try tree.write("note.md", "new note")
        #expect(reports.wait(beyond: before, hangGuard: 60))
        #expect(appender.running, "the report came while the log was still being appended")
    }

    @Test("Given a file that never stops changing, when a note is written, then the watcher reports within its maximum delay while the changes go on")
    func busyFolderStillScanned() throws {
        let tree = try TemporaryTree()
        try tree.write("busy.md", "")
        let reports = FileWatcherTests.Reports()
        let watcher = try FileWatcher(roots: [tree.root], walker: Walker(), maximumDelay: 1) { reports.add($0) }
        watcher.start()
        defer { watcher.stop() }
        let appender = Appender(tree.path("busy.md"))
        defer { appender.stop() }
        let before = reports.count
        try tree.write("note.md", "new note")
        #expect(reports.wait(beyond: before, hangGuard: 60))
        #expect(appender.running, "the scan came while the folder was still busy")
    }

    @Test("Given a file larger than the cap when read (it grew after the walk's lstat), when read, then the read stops past the cap and says it grew")
    func grownFileCapped() throws {
        let tree = try TemporaryTree()
        try tree.write("log.md", String(repeating: "grown line\n", count: 20_000))
        let read = FileContents.read(path: tree.path("log.md"), limit: 100_000)
        #expect(read.failureReason == "larger than the 100.0 kB limit (it grew while being read)")
        #expect(FileContents.read(path: tree.path("log.md")).failureReason == nil)
    }

    @Test("Given a document's bytes, when copied for the extraction worker, then the copy holds exactly them from its start and cannot be changed")
    func memoryFileIsASealedCopy() throws {
        let bytes = Array("%PDF-1.4 the bytes that were hashed".utf8)
        let descriptor = bytes.withUnsafeBytes { qwery_memory_file($0.baseAddress, UInt($0.count)) }
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var copy = [UInt8](repeating: 0, count: 100)
        let count = copy.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, 100) }
        #expect(Array(copy.prefix(count)) == bytes)
        let written = [UInt8](repeating: 65, count: 4).withUnsafeBytes { write(descriptor, $0.baseAddress, 4) }
        #expect(written == -1 && errno == EPERM, "sealed against writes")
    }

    @Test("Given --db naming a FIFO, a folder, or a file of another user's mode 000, when opened, then each is refused at once with what it is")
    func indexPathsThatAreNotFiles() throws {
        let tree = try TemporaryTree()
        #expect(mkfifo(tree.path("pipe.sqlite"), 0o644) == 0)
        #expect(throws: StoreError.notAnIndex(path: tree.path("pipe.sqlite"), reason: "it is not a regular file (a FIFO, socket or device)")) {
            try AppDatabase(path: tree.path("pipe.sqlite"), access: .readOnly)
        }
        try FileManager.default.createDirectory(atPath: tree.path("folder"), withIntermediateDirectories: true)
        #expect(throws: StoreError.notAnIndex(path: tree.path("folder"),
                                              reason: "it is a folder; name the index file inside it, e.g. --db \(tree.path("folder"))/index.sqlite")) {
            try AppDatabase(path: tree.path("folder"), access: .readOnly)
        }
    }
}

extension Result where Failure == FileContents.Problem {
    var failureReason: String? {
        if case .failure(let problem) = self { return problem.reason }
        return nil
    }
}

@Suite("Overlapping roots")
struct OverlappingRootsTests {
    @Test("Given a root and a folder inside it both indexed, when indexed again with nothing changed, then nothing is indexed again and each file is in the index once")
    func innerRootOwnsItsFiles() throws {
        let tree = try TemporaryTree()
        for index in 0..<5 { try tree.write("top\(index).md", "top note \(index)") }
        for index in 0..<4 { try tree.write("sub/inner\(index).md", "inner note \(index)") }
        let database = try AppDatabase(path: tree.root + "-index.sqlite")
        defer { try? FileManager.default.removeItem(atPath: tree.root + "-index.sqlite") }
        let indexer = Indexer(database: database, tokenizer: nil, embedder: nil, model: nil, walker: Walker())
        let first = try indexer.run(roots: [tree.root, tree.path("sub")])
        #expect(first.filesIndexed == 9)
        for _ in 0..<2 {
            let again = try indexer.run(roots: [tree.root, tree.path("sub")])
            #expect(again.filesIndexed == 0 && again.filesRemoved == 0, "\(again)")
            #expect(again.filesUnchanged == 9)
        }
        #expect(try database.indexedFiles().count == 9)
        #expect(try database.indexedFiles().filter { $0.path.contains("/sub/") }.allSatisfy { $0.root == tree.path("sub") })
    }
}
