import Foundation
import Store
import Testing

/// One writer per index and headless watching (issue #14), through the real binary.
@Suite("One writer per index", .serialized)
struct IndexWriterTests {
    static func embeddedCount(_ standardError: String) -> Int? {
        guard let range = standardError.range(of: "embedded ") else { return nil }
        return Int(standardError[range.upperBound...].prefix { $0.isNumber })
    }

    @Test("Given two qwery index processes started together on one index, when both finish, then each chunk was embedded once")
    func twoIndexersEmbedEachChunkOnce() throws {
        let tree = try KillTests.makeTree()
        defer { try? FileManager.default.removeItem(atPath: tree) }
        let database = tree + ".sqlite"
        let arguments = ["index", tree, "--db", database, "--model", KillTests.model]
        let errors = [tree + "-a.err", tree + "-b.err"]
        let processes = try errors.map { try ChildProcess(QweryProcess.executable, arguments, error: $0) }
        let statuses = processes.map { $0.wait() }
        #expect(statuses == [0, 0])
        let outputs = try errors.map { try String(contentsOfFile: $0, encoding: .utf8) }
        let embedded = outputs.compactMap(Self.embeddedCount)
        let vectors = try KillTests.snapshot(database).vectors
        #expect(embedded.count == 2, "\(outputs)")
        #expect(vectors > 0 && embedded.reduce(0, +) == vectors, "embedded \(embedded), \(vectors) vectors stored")
        #expect(outputs.contains { $0.contains("is indexing this index; waiting for it") }, "one of them waited: \(outputs)")
    }

    @Test("Given qwery watch indexing a tree, when it gets SIGTERM, then it stops between files with exit 0 and a sound index")
    func watchStopsOnSigterm() throws {
        let tree = try KillTests.makeTree()
        defer { try? FileManager.default.removeItem(atPath: tree) }
        let database = tree + ".sqlite"
        let log = tree + "-watch.err"
        let process = try ChildProcess(QweryProcess.executable, ["watch", tree, "--db", database, "--model", KillTests.model], error: log)
        // Wait for its first log line (bounded: a hung start fails the test instead of stalling it).
        var started = false
        for _ in 0..<600 where !started {
            started = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("qwery watch: watching ")
            if !started { usleep(50_000) }
        }
        #expect(started)
        process.kill(SIGTERM)
        #expect(process.wait() == 0)
        let output = try String(contentsOfFile: log, encoding: .utf8)
        #expect(output.contains("qwery watch: stopped"), "\(output)")
        let snapshot = try KillTests.snapshot(database)
        // Whatever was written is whole: every stored vector belongs to a stored chunk (snapshot checks integrity).
        let orphans = try AppDatabase(path: database).reader.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM vector WHERE contentHash NOT IN (SELECT contentHash FROM chunk)")
        }
        #expect(orphans == 0)
        #expect(snapshot.files <= 300)
    }
}
