import Foundation
import Testing
@testable import Store
import GRDB
@testable import Indexing

/// Faults while indexing: reported, never a crash, never a damaged index.
@Suite("Indexing faults", .serialized)
struct FaultTests {
    /// Creates an empty file whose path is these raw bytes (names that are not UTF-8 included).
    static func createFile(named bytes: [UInt8]) -> Bool {
        let descriptor = (bytes + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { name in name.baseAddress.map { open($0, O_CREAT | O_WRONLY, 0o644) } ?? -1 }
        }
        guard descriptor >= 0 else { return false }
        close(descriptor)
        return true
    }

    @Test("Given a file name that is not UTF-8, when indexed, then it is skipped with that reason")
    func nonUTF8FileName() throws {
        let tree = try TemporaryTree()
        try tree.write("ok.md", "fine")
        #expect(Self.createFile(named: Array((tree.root + "/caf").utf8) + [0xE9, 0x2E, 0x6D, 0x64]))
        let indexer = try IndexerTests.indexer(tree)
        let summary = try indexer.run(roots: [tree.root])
        #expect(summary.filesIndexed == 1)
        #expect(summary.filesSkipped == 1)
        #expect(try indexer.database.status().skippedFiles.map(\.reason) == ["the file name is not valid UTF-8"])
        #expect(try indexer.database.status().skippedFiles.map(\.path) == [tree.root + "/caf\\xE9.md"])
    }

    @Test("Given two file names that differ only in invalid UTF-8 bytes, when indexed, then both are listed, each under its own escaped name")
    func invalidNamesStayDistinct() throws {
        let tree = try TemporaryTree()
        for byte: UInt8 in [0xFF, 0xFE] {
            #expect(Self.createFile(named: Array((tree.root + "/note-").utf8) + [byte, 0x2E, 0x6D, 0x64]))
        }
        let indexer = try IndexerTests.indexer(tree)
        let summary = try indexer.run(roots: [tree.root])

        #expect(summary.filesSkipped == 2)
        #expect(try indexer.database.status().skippedFiles.map(\.path).sorted() == [tree.root + "/note-\\xFE.md", tree.root + "/note-\\xFF.md"])
        #expect(Walker.escapedName([0x63, 0x61, 0x66, 0xC3, 0xA9, 0xE9, 0xF0, 0x9F, 0x8D, 0x9E]) == "café\\xE9🍞")
    }

    @Test("Given a file that cannot be read, when indexed, then it is skipped with the system's reason", .enabled(if: getuid() != 0))
    func unreadableFile() throws {
        let tree = try TemporaryTree()
        try tree.write("secret.md", "hidden")
        chmod(tree.path("secret.md"), 0)
        let indexer = try IndexerTests.indexer(tree)
        try indexer.run(roots: [tree.root])
        #expect(try indexer.database.status().skippedFiles.first?.reason.hasPrefix("cannot be read") == true)
    }

    @Test("Given a disk that fills up mid-run, when indexing, then a diskFull error is raised and the index keeps its last state")
    func diskFull() throws {
        let tree = try TemporaryTree()
        try tree.write("small.md", "# Small\n\nA short note.\n")
        let database = try AppDatabase(path: tree.root + ".sqlite")
        let indexer = try IndexerTests.indexer(tree, database: database)
        try indexer.run(roots: [tree.root])
        #expect(try database.status().chunks == 1)

        // SQLite reports SQLITE_FULL past max_page_count, as it would on a full disk.
        let pages = try database.writer.write { try Int.fetchOne($0, sql: "PRAGMA page_count") ?? 0 }
        _ = try database.writer.write { try Int.fetchOne($0, sql: "PRAGMA max_page_count = \(pages + 2)") }
        let paragraph = String(repeating: "Lots of text to fill the pages of the database. ", count: 40)
        try tree.write("big.md", (0..<200).map { "## Part \($0)\n\n\(paragraph)" }.joined(separator: "\n\n"))
        #expect(throws: StoreError.diskFull(path: database.path)) {
            try indexer.run(roots: [tree.root])
        }
        #expect(try database.integrityCheck() == "ok")
        let status = try database.status()
        #expect(status.chunks == 1)
        #expect(try database.file(path: tree.path("big.md")) == nil)
    }
}
