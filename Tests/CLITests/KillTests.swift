import Foundation
import Store
import Testing

/// `kill -9` at random moments of `qwery index`, then a complete run: the index must be sound and
/// identical to one built without interruption.
@Suite("Crash safety", .serialized)
struct KillTests {
    static let model = QweryProcess.fixtures + "/models/tiny-embedding"

    /// A tree of 300 notes with several paragraphs each.
    static func makeTree() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-kill-\(UUID().uuidString)").path
        for folder in 0..<10 {
            let path = root + "/folder\(folder)"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            for note in 0..<30 {
                let sections = (0..<4).map { section in
                    "## Part \(section)\n\nNote \(folder)-\(note), part \(section): " + String(repeating: "words about the topic \(note * 7 + section) ", count: 12)
                }
                try sections.joined(separator: "\n\n").write(toFile: path + "/note\(note).md", atomically: true, encoding: .utf8)
            }
        }
        return root
    }

    /// (path, ordinal, content hash) of every chunk, and the vector count.
    static func snapshot(_ path: String) throws -> (chunks: Set<String>, vectors: Int, files: Int) {
        let database = try AppDatabase(path: path)
        let status = try database.status()
        let rows = try database.reader.read { db in
            try String.fetchAll(db, sql: """
                SELECT file.path || '#' || chunk.ordinal || '#' || hex(chunk.contentHash) FROM chunk JOIN file ON file.id = chunk.fileId
                """)
        }
        #expect(try database.integrityCheck() == "ok")
        return (Set(rows), status.models.first?.vectors ?? 0, status.indexedFiles)
    }

    @Test("Given indexing killed with SIGKILL eight times, when run to the end, then the index equals an uninterrupted one")
    func killNineRepeatedly() throws {
        let tree = try Self.makeTree()
        defer { try? FileManager.default.removeItem(atPath: tree) }
        let killed = tree + "-killed.sqlite"
        let clean = tree + "-clean.sqlite"
        // Seeded: the same kill moments every run (the moments still land at different points of the work,
        // which is what the test is about; a failure names them).
        var generator = SplitMix64(seed: 0x5157_4552_5921)
        for _ in 0..<8 {
            let process = try ChildProcess(QweryProcess.executable, ["index", tree, "--db", killed, "--model", Self.model])
            usleep(UInt32.random(in: 50_000...1_500_000, using: &generator))
            process.kill(SIGKILL)
            process.wait()
            // The index opens cleanly after every kill.
            _ = try Self.snapshot(killed)
        }
        let resumed = try QweryProcess.run(["index", tree, "--db", killed, "--model", Self.model])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let fresh = try QweryProcess.run(["index", tree, "--db", clean, "--model", Self.model])
        #expect(fresh.status == 0)
        let after = try Self.snapshot(killed)
        let expected = try Self.snapshot(clean)
        #expect(after.files == 300)
        #expect(after.chunks == expected.chunks)
        #expect(after.vectors == expected.vectors)
        #expect(expected.vectors > 0)
    }
}

/// A small seeded generator (SplitMix64, Steele et al. 2014) for reproducible test randomness.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
