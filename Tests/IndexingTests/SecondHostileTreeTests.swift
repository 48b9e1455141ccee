import Foundation
import Testing
import Store
@testable import Indexing
#if canImport(Glibc)
import Glibc
#endif

/// The second hostile pass on trees: twin names, unreadable folders, skips that clear with a chmod.
@Suite("Hostile trees, second round", .serialized)
struct SecondHostileTreeTests {
    /// Writes a file through POSIX with the path's exact bytes (no layer in between may normalise it).
    static func writeExactly(_ path: String, _ text: String) throws {
        let descriptor = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(descriptor) }
        _ = text.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
    }

    static func lexicalIndexer(_ tree: TemporaryTree, walker: Walker = Walker()) throws -> Indexer {
        try Indexer(database: AppDatabase(path: tree.root + ".sqlite"), tokenizer: nil, embedder: nil, modelFolder: nil, walker: walker)
    }

    @Test("Given two files whose names differ only as NFC and NFD, when indexed, re-indexed and one deleted, then they stay two files")
    func normalizationTwins() throws {
        let tree = try TemporaryTree()
        let composed = tree.path("caf\u{E9}.md"), decomposed = tree.path("cafe\u{301}.md")
        #expect(composed == decomposed, "Swift's String == calls these equal, which is the trap")
        try Self.writeExactly(composed, "composed espresso notes\n")
        try Self.writeExactly(decomposed, "decomposed filter coffee notes\n")
        let indexer = try Self.lexicalIndexer(tree)
        let first = try indexer.run(roots: [tree.root])
        #expect(first.filesIndexed == 2)
        let second = try indexer.run(roots: [tree.root])
        #expect(second.filesIndexed == 0 && second.filesUnchanged == 2, "nothing changed, nothing re-indexed")
        #expect(unlink(decomposed) == 0)
        let third = try indexer.run(roots: [tree.root])
        #expect(third.filesRemoved == 1 && third.filesUnchanged == 1)
        let left = try indexer.database.files(rootId: #require(indexer.database.addRoot(path: tree.root).id))
        #expect(left.keys.map(\.bytes) == [Array(composed.utf8)])
    }

    @Test("Given an indexed folder that becomes unreadable, when indexed again, then every file is kept and the run says the root was unreadable")
    func unreadableRootKeepsFiles() throws {
        let tree = try TemporaryTree()
        for name in ["a", "b", "c", "d"] { try tree.write("\(name).md", "note \(name)\n") }
        #expect(try Self.lexicalIndexer(tree).run(roots: [tree.root]).filesIndexed == 4)
        var options = Walker.Options()
        let root = tree.root
        options.openFolder = { path in
            if path == root { errno = EACCES; return nil }
            return opendir(path)
        }
        var problems: [String] = []
        let summary = try Self.lexicalIndexer(tree, walker: Walker(options: options)).run(roots: [tree.root]) { event in
            if case .problem(let message) = event { problems.append(message) }
        }
        #expect(summary.filesRemoved == 0)
        #expect(summary.unreadableRoots == [tree.root])
        #expect(problems.contains { $0.contains("cannot read the folder \(tree.root)") && $0.contains("nothing under it was removed") })
        #expect(try AppDatabase(path: tree.root + ".sqlite").status().indexedFiles == 4)
    }

    @Test("Given a subfolder that becomes unreadable, when indexed again, then its files are kept and the others are indexed as usual")
    func unreadableSubfolderKeepsFiles() throws {
        let tree = try TemporaryTree()
        try tree.write("private/one.md", "one\n")
        try tree.write("private/two.md", "two\n")
        try tree.write("open.md", "open\n")
        #expect(try Self.lexicalIndexer(tree).run(roots: [tree.root]).filesIndexed == 3)
        try tree.remove("open.md")
        var options = Walker.Options()
        let locked = tree.path("private")
        options.openFolder = { path in
            if path == locked { errno = EACCES; return nil }
            return opendir(path)
        }
        let summary = try Self.lexicalIndexer(tree, walker: Walker(options: options)).run(roots: [tree.root])
        #expect(summary.filesRemoved == 1, "open.md really was deleted; private/ is only unreadable")
        #expect(summary.unreadableRoots.isEmpty)
        let status = try AppDatabase(path: tree.root + ".sqlite").status()
        #expect(status.skippedFiles.contains { $0.path == locked && $0.reason.hasPrefix("cannot read the folder") })
    }

    @Test("Given a file skipped as unreadable, when it becomes readable without its time changing, then the next run indexes it")
    func permissionSkipIsRetried() throws {
        let tree = try TemporaryTree()
        try tree.write("secret.md", "the walnut password hint\n")
        let indexer = try Self.lexicalIndexer(tree)
        #expect(try indexer.run(roots: [tree.root]).filesIndexed == 1)
        // What a run under chmod 000 left behind (tests run as root, which reads everything): same size and time.
        let rootId = try #require(indexer.database.addRoot(path: tree.root).id)
        let record = try #require(indexer.database.files(rootId: rootId).values.first)
        try indexer.database.saveSkippedFile(FileRecord(rootId: rootId, path: record.path, size: record.size, modifiedAt: record.modifiedAt,
                                                        contentHash: nil, status: .skipped, skipReason: "cannot be read: Permission denied"))
        let again = try indexer.run(roots: [tree.root])
        #expect(again.filesIndexed == 1 && again.filesUnchanged == 0)
        #expect(try indexer.database.status().skippedFiles.isEmpty)
        #expect(try indexer.run(roots: [tree.root]).filesUnchanged == 1, "an indexed file is not read again")
    }

    @Test("Given a UTF-16 file with a byte-order mark, when indexed, then it is skipped as UTF-16, not as binary")
    func utf16IsNamed() throws {
        let tree = try TemporaryTree()
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "hello".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try tree.write("windows.txt", data: Data(bytes))
        let indexer = try Self.lexicalIndexer(tree)
        try indexer.run(roots: [tree.root])
        #expect(try indexer.database.status().skippedFiles.first?.reason.hasPrefix("UTF-16 text") == true)
    }
}
