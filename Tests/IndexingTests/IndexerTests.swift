import Corpus
import Foundation
import Testing
import Engine
import Store
import Tokenizers
@testable import Indexing

/// Incremental indexing: exact counts of what is re-chunked and re-embedded after each kind of change.
@Suite("Indexer", .serialized)
struct IndexerTests {
    static let embedder: Embedder = {
        do { return try Embedder(folder: IndexingFixtures.tinyModel) } catch { fatalError("\(error)") }
    }()

    /// A fresh index in the tree's folder, with or without the tiny embedding model.
    static func indexer(_ tree: TemporaryTree, embed: Bool = true, database: AppDatabase? = nil,
                        configuration: Indexer.Configuration = Indexer.Configuration()) throws -> Indexer {
        let database = try database ?? AppDatabase(path: tree.root + ".sqlite")
        return try Indexer(database: database, tokenizer: embedder.tokenizer, embedder: embed ? embedder : nil,
                           modelFolder: embed ? IndexingFixtures.tinyModel : nil, configuration: configuration)
    }

    /// A note of level-2 sections, each long enough (about 60 tokens) to be a chunk of its own.
    static func note(sections: [String]) -> String {
        let filler = "The rest of this section is an ordinary paragraph of journal text, long enough to stand on its own."
        return sections.enumerated().map { "## Section \($0.offset)\n\n\($0.element) \(filler) \(filler)\n" }.joined(separator: "\n")
    }

    static func makeTree() throws -> TemporaryTree {
        let tree = try TemporaryTree()
        try tree.write("notes/journal.md", note(sections: ["Walked by the river at dawn.", "Fog over the bridges.", "Coffee with Ana."]))
        try tree.write("notes/recipes/hummus.md", "# Hummus\n\nSoak chickpeas overnight, simmer, blend with tahini.\n")
        try tree.write("code/main.py", "def main():\n    print('hi')\n\n\ndef helper(x):\n    return x * 2\n")
        try tree.write("code/image.png", data: Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]))
        try tree.write("notes/latin1.txt", data: Data([0x63, 0x61, 0x66, 0xE9]))
        return tree
    }

    @Test("Given a tree, when indexed twice, then the second run changes nothing and embeds nothing")
    func secondRunIsStatOnly() throws {
        let tree = try Self.makeTree()
        let indexer = try Self.indexer(tree)
        let first = try indexer.run(roots: [tree.root])
        #expect(first.filesSeen == 5)
        #expect(first.filesIndexed == 3)
        #expect(first.filesSkipped == 2)
        #expect(first.chunksWritten == 5)
        #expect(first.chunksEmbedded == 5)
        let status = try indexer.database.status()
        #expect(status.chunks == 5)
        #expect(status.models.first?.vectors == 5)
        #expect(Set(status.skippedFiles.map(\.reason)) == ["binary (contains NUL bytes)", "not UTF-8 text"])

        let second = try indexer.run(roots: [tree.root])
        #expect(second.filesUnchanged == 5)
        #expect(second.filesIndexed == 0 && second.filesSkipped == 0 && second.chunksEmbedded == 0)
    }

    @Test("Given an indexed file, when only its time changes, then nothing is re-chunked or re-embedded")
    func touchWithoutChange() throws {
        let tree = try Self.makeTree()
        let indexer = try Self.indexer(tree)
        try indexer.run(roots: [tree.root])
        try tree.setModificationDate("notes/journal.md", Date().addingTimeInterval(60))
        let summary = try indexer.run(roots: [tree.root])
        #expect(summary.filesTouched == 1)
        #expect(summary.filesIndexed == 0)
        #expect(summary.chunksEmbedded == 0)
    }

    @Test("Given a note of three sections, when one paragraph is edited, then exactly one chunk is embedded")
    func editOneParagraph() throws {
        let tree = try Self.makeTree()
        let indexer = try Self.indexer(tree)
        try indexer.run(roots: [tree.root])
        try tree.write("notes/journal.md", Self.note(sections: ["Walked by the river at dawn.", "Rain all afternoon.", "Coffee with Ana."]))
        try tree.setModificationDate("notes/journal.md", Date().addingTimeInterval(120))
        let summary = try indexer.run(roots: [tree.root])
        #expect(summary.filesIndexed == 1)
        #expect(summary.chunksWritten == 3)
        #expect(summary.chunksEmbedded == 1)
        // The replaced paragraph's vector is kept for the grace period (DataSafetyTests), no longer searchable.
        #expect(summary.vectorsRemoved == 0)
        #expect(try indexer.database.status().models.first?.vectors == 5)
    }

    @Test("Given a renamed file and a duplicate, when re-indexed, then no chunk is embedded again")
    func renameAndDuplicate() throws {
        let tree = try Self.makeTree()
        let indexer = try Self.indexer(tree)
        try indexer.run(roots: [tree.root])
        try FileManager.default.moveItem(atPath: tree.path("notes/recipes/hummus.md"), toPath: tree.path("notes/hummus-renamed.md"))
        try tree.write("notes/copy-of-main.py", String(contentsOfFile: tree.path("code/main.py"), encoding: .utf8))
        let summary = try indexer.run(roots: [tree.root])
        #expect(summary.filesRemoved == 1)
        #expect(summary.filesIndexed == 2)
        #expect(summary.chunksEmbedded == 0)
        let status = try indexer.database.status()
        #expect(status.chunks == 6)
        #expect(status.distinctChunkContents == 5)
        #expect(status.models.first?.vectors == 5)
    }

    @Test("Given a deleted file, when re-indexed, then its chunks are gone and its vectors are no longer searchable")
    func deletion() throws {
        let tree = try Self.makeTree()
        let indexer = try Self.indexer(tree)
        try indexer.run(roots: [tree.root])
        try tree.remove("code/main.py")
        let summary = try indexer.run(roots: [tree.root])
        #expect(summary.filesRemoved == 1)
        #expect(summary.vectorsRemoved == 0, "kept for the grace period")
        let status = try indexer.database.status()
        #expect(status.chunks == 4)
        #expect(status.models.first?.vectors == 4)
        #expect(try indexer.database.integrityCheck() == "ok")
    }

    @Test("Given no model, when indexed, then the index is lexical only and vectors are filled in once a model appears")
    func lexicalFirstVectorsLater() throws {
        let tree = try Self.makeTree()
        let database = try AppDatabase(path: tree.root + ".sqlite")
        let lexical = try Self.indexer(tree, embed: false, database: database)
        let first = try lexical.run(roots: [tree.root])
        #expect(first.chunksWritten == 5 && first.chunksEmbedded == 0)
        #expect(try database.status().models.isEmpty)
        let semantic = try Self.indexer(tree, embed: true, database: database)
        let second = try semantic.run(roots: [tree.root])
        #expect(second.filesIndexed == 0)
        #expect(second.chunksEmbedded == 5)
    }

    @Test("Given a root that vanished, when re-indexed, then its files stay in the index")
    func missingRootKeepsFiles() throws {
        let tree = try Self.makeTree()
        let indexer = try Self.indexer(tree)
        try indexer.run(roots: [tree.root])
        var problems: [String] = []
        try indexer.run(roots: [tree.root + "/does-not-exist"]) { event in
            if case .problem(let message) = event { problems.append(message) }
        }
        #expect(problems.count == 1)
        #expect(try indexer.database.status().chunks == 5)
    }

    @Test("Given a generated tree of 2,000 files with ignores and binaries, when indexed, then every count is exact")
    func generatedTree() throws {
        let tree = try TemporaryTree()
        try tree.write(".gitignore", "ignored/\n*.tmp\n")
        for folder in 0..<20 {
            for file in 0..<100 {
                let name = "folder\(folder)/note\(file).md"
                if file % 25 == 0 {
                    try tree.write("folder\(folder)/blob\(file).bin", data: Data([0, 1, 2, 3]))
                } else if file % 25 == 1 {
                    try tree.write("folder\(folder)/scratch\(file).tmp", "ignored by pattern")
                } else {
                    try tree.write(name, "# Note \(folder)-\(file)\n\nThe number \(folder * 100 + file) is noted here.\n")
                }
            }
            try tree.write("ignored/\(folder).md", "ignored folder")
        }
        let indexer = try Self.indexer(tree)
        let summary = try indexer.run(roots: [tree.root])
        #expect(summary.filesSeen == 20 * 96)
        #expect(summary.filesIndexed == 20 * 92)
        #expect(summary.filesSkipped == 20 * 4)
        #expect(summary.chunksWritten == 20 * 92)
        #expect(summary.chunksEmbedded == 20 * 92)
        let again = try indexer.run(roots: [tree.root])
        #expect(again.filesUnchanged == 20 * 96 && again.chunksEmbedded == 0)
    }
}
