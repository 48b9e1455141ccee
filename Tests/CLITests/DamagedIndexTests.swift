import Foundation
import Store
import Testing

/// A damaged index file is named and repaired, never written into (issue #16).
@Suite("Damaged index", .serialized)
struct DamagedIndexTests {
    @Test("Given an index with damaged pages, when indexing, then it fails naming the file and the fix; --rebuild recovers it and reuses vectors")
    func damagedIndexIsRebuilt() throws {
        let tree = try KillTests.makeTree()
        defer { try? FileManager.default.removeItem(atPath: tree) }
        let database = tree + ".sqlite"
        let first = try QweryProcess.run(["index", tree, "--db", database, "--model", KillTests.model])
        #expect(first.status == 0, "\(first.standardError)")
        let sound = try KillTests.snapshot(database)

        // Garbage over pages in the middle of the file (the header and schema page stay intact).
        var bytes = try Data(contentsOf: URL(fileURLWithPath: database))
        let pageSize = 4096
        #expect(bytes.count > 40 * pageSize)
        for offset in stride(from: 8 * pageSize, to: 24 * pageSize, by: 1) { bytes[offset] = UInt8(truncatingIfNeeded: offset &* 31) }
        try bytes.write(to: URL(fileURLWithPath: database))

        let refused = try QweryProcess.run(["index", tree, "--db", database, "--model", KillTests.model])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("The index at \(database) is damaged"), "\(refused.standardError)")
        #expect(refused.standardError.contains("qwery index --rebuild"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == bytes, "a damaged index is not written into")

        let rebuilt = try QweryProcess.run(["index", "--rebuild", "--db", database, "--model", KillTests.model, tree])
        #expect(rebuilt.status == 0, "\(rebuilt.standardError)")
        #expect(rebuilt.standardError.contains("the rebuilt index replaced \(database)"))
        let after = try KillTests.snapshot(database)
        #expect(after.files == sound.files && after.chunks == sound.chunks && after.vectors == sound.vectors)
        #expect(!FileManager.default.fileExists(atPath: database + ".rebuild"))
    }
}
