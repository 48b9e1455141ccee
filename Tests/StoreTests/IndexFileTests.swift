import Foundation
import Testing
@testable import Store

/// What AppDatabase does with files that are not qwery indexes, and with paths where there is none (issue #16).
@Suite("Index file checks")
struct IndexFileTests {
    static func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("Given another application's SQLite file, when opened as the index, then it is refused and stays byte-identical")
    func foreignSQLiteIsRefused() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/other.sqlite"
        // An index-shaped file of someone else's: a SQLite database with its own application id.
        _ = try AppDatabase(path: folder + "/seed.sqlite")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/seed.sqlite"))
        bytes.replaceSubrange(68..<72, with: [0x12, 0x34, 0x56, 0x78])
        try bytes.write(to: URL(fileURLWithPath: path))

        for access in [AppDatabase.Access.readWrite, .readOnly] {
            #expect(throws: StoreError.notAnIndex(path: path, reason: "it is a SQLite database of another application (application_id \(0x1234_5678))")) {
                try AppDatabase(path: path, access: access)
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test("Given a text file, when opened as the index, then it is refused without a change")
    func textFileIsRefused() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/notes.md"
        let text = String(repeating: "my precious notes\n", count: 20)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: StoreError.notAnIndex(path: path, reason: "it is not a SQLite database")) { try AppDatabase(path: path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    @Test("Given a path with no index, when opened read-only, then it fails and creates nothing, not even the folder")
    func readOnlyCreatesNothing() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/missing/index.sqlite"
        #expect(throws: StoreError.missing(path: path)) { try AppDatabase(path: path, access: .readOnly) }
        #expect(!FileManager.default.fileExists(atPath: folder + "/missing"))
    }

    @Test("Given a new index, when created, then its header carries qwery's application id and it reopens read-only")
    func newIndexIsMarked() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/index.sqlite"
        _ = try AppDatabase(path: path)
        let header = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(72)
        #expect(Array(header[68..<72]) == [0x71, 0x77, 0x72, 0x79])
        let reopened = try AppDatabase(path: path, access: .readOnly)
        #expect(reopened.isReadOnly)
        #expect(try reopened.status().chunks == 0)
    }
}
