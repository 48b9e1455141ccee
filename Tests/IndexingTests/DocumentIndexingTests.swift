import Corpus
import Documents
import Foundation
import GRDB
import Store
import Testing
@testable import Indexing

/// Documents through the indexer and the real extraction worker: chunks carry pages and headings, the text
/// is stored once per content, a rewritten document replaces its text, and hostile ones are skipped.
@Suite("Document indexing", .serialized)
struct DocumentIndexingTests {
    static let documents = IndexingFixtures.root + "/documents"

    static var qwery: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundle, bundle.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("qwery").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return Bundle.main.bundleURL.appendingPathComponent("qwery").path
    }

    static func indexer(_ tree: TemporaryTree, extraction: ExtractionClient = ExtractionClient(command: [qwery, "extract-worker"]),
                        database: AppDatabase? = nil) throws -> Indexer {
        var configuration = Indexer.Configuration()
        configuration.extraction = extraction
        return try IndexerTests.indexer(tree, embed: false, database: database, configuration: configuration)
    }

    static func copy(_ name: String, to tree: TemporaryTree, as target: String? = nil) throws {
        try tree.write(target ?? name, data: Data(contentsOf: URL(fileURLWithPath: documents + "/" + name)))
    }

    /// (path suffix, locator kind, number, context, text) of every chunk.
    static func chunks(_ indexer: Indexer) throws -> [(path: String, kind: String?, number: Int?, context: String, text: String)] {
        try indexer.database.reader.read { db in
            try Row.fetchAll(db, sql: """
                SELECT file.path, chunk.locatorKind, chunk.locatorNumber, chunk.context, chunk.text FROM chunk
                JOIN file ON file.id = chunk.fileId ORDER BY file.path, chunk.ordinal
                """).map { ($0[0], $0[1], $0[2], $0[3], $0[4]) }
        }
    }

    @Test("Given one document of each format, when indexed, then each phrase sits in a chunk with its page, cell or heading path")
    func everyFormat() throws {
        let tree = try TemporaryTree()
        for name in ["report.pdf", "memo.docx", "garden.odt", "novel.epub", "page.html", "analysis.ipynb"] { try Self.copy(name, to: tree) }
        let indexer = try Self.indexer(tree)
        let summary = try indexer.run(roots: [tree.root])
        #expect(summary.filesIndexed == 6 && summary.filesSkipped == 0)
        let chunks = try Self.chunks(indexer)
        func chunk(_ phrase: String) -> (path: String, kind: String?, number: Int?, context: String, text: String)? {
            chunks.first { $0.text.contains(phrase) }
        }
        let pdf = try #require(chunk("heliotrope lighthouse"))
        #expect(pdf.path.hasSuffix("report.pdf") && pdf.kind == "page" && pdf.number == 2)
        #expect(!pdf.text.contains("Appendix"), "a chunk never spans two pages: \(pdf.text)")
        #expect(chunk("saffron procurement")?.context == "Quarterly memo > Budget planning > Procurement")
        #expect(chunk("marzipan greenhouse")?.context == "Garden plans > Greenhouse")
        #expect(chunk("periwinkle zeppelin")?.context == "The Crossing")
        #expect(chunk("vermilion tugboat")?.context == "Saved page > Travel log > Harbour")
        let cell = try #require(chunk("chartreuse histogram"))
        #expect(cell.kind == "cell" && cell.number == 3 && cell.context == "Analysis > Results")
        #expect(!chunks.contains { $0.text.contains("obsidian scarecrow") || $0.text.contains("outputonlyword") })
        #expect(!chunks.contains { $0.text.contains("─── page") }, "marker lines are for the preview, not the index")

        // The preview text: markers, then the page's lines, at the lines the chunk names.
        let text = try #require(try indexer.database.documentText(path: tree.path("report.pdf")))
        let lines = text.splitLines()
        #expect(lines.contains("─── page 2 ───"))
        #expect(ExtractedDocument.lines(of: .page(2), in: text).map { lines[$0.lowerBound - 1] } == "Findings")
    }

    @Test("Given an indexed PDF, when it is rewritten, then its new text is found, its old text is gone, and its old extracted text is dropped")
    func rewrittenDocument() throws {
        let tree = try TemporaryTree()
        try Self.copy("report.pdf", to: tree)
        let indexer = try Self.indexer(tree)
        try indexer.run(roots: [tree.root])
        try Self.copy("report-v2.pdf", to: tree, as: "report.pdf")
        try tree.setModificationDate("report.pdf", Date().addingTimeInterval(60))
        let summary = try indexer.run(roots: [tree.root])
        #expect(summary.filesIndexed == 1)
        let chunks = try Self.chunks(indexer)
        #expect(chunks.contains { $0.text.contains("cobalt harbour almanac") && $0.number == 2 })
        #expect(!chunks.contains { $0.text.contains("heliotrope") })
        let stored = try indexer.database.reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM documentText") }
        #expect(stored == 1, "the old version's text is removed with it")
    }

    @Test("Given a document whose content was extracted before, when it appears under another name, then it is chunked from the stored text, no worker run")
    func storedTextIsReused() throws {
        let tree = try TemporaryTree()
        try Self.copy("novel.epub", to: tree)
        let indexer = try Self.indexer(tree)
        try indexer.run(roots: [tree.root])
        // A worker that cannot start: anything extracted now would be skipped as unavailable.
        let without = try Self.indexer(tree, extraction: ExtractionClient(command: ["/nonexistent/worker"]), database: indexer.database)
        try Self.copy("novel.epub", to: tree, as: "copy/novel again.epub")
        let summary = try without.run(roots: [tree.root])
        #expect(summary.filesIndexed == 1 && summary.filesSkipped == 0)
        #expect(try Self.chunks(indexer).filter { $0.text.contains("periwinkle zeppelin") }.count == 2)
    }

    @Test("Given hostile documents beside a good one, when indexed, then each is skipped with its reason and the good one is indexed")
    func hostileDocuments() throws {
        let tree = try TemporaryTree()
        for name in ["encrypted.pdf", "truncated.pdf", "random.pdf", "zip-bomb.docx", "zip-bomb-lying.docx", "entity-bomb.docx", "report.pdf"] {
            try Self.copy(name, to: tree)
        }
        let indexer = try Self.indexer(tree)
        var skipped: [String: String] = [:]
        let summary = try indexer.run(roots: [tree.root]) { event in
            if case .skipped(let path, let reason) = event { skipped[(path as NSString).lastPathComponent] = reason }
        }
        #expect(summary.filesIndexed == 1 && summary.filesSkipped == 6)
        #expect(skipped["encrypted.pdf"] == "encrypted PDF (needs a password)")
        #expect(skipped["truncated.pdf"]?.hasPrefix("damaged PDF") == true)
        #expect(skipped["random.pdf"] == "damaged PDF (no %PDF header)")
        #expect(skipped["zip-bomb.docx"]?.contains("zip bomb") == true)
        #expect(skipped["zip-bomb-lying.docx"]?.contains("zip bomb") == true)
        #expect(skipped["entity-bomb.docx"] == "word/document.xml declares XML entities (a possible entity bomb); refused")
        // Skipped documents are not retried while unchanged.
        let again = try indexer.run(roots: [tree.root])
        #expect(again.filesUnchanged == 7 && again.filesSkipped == 0)
    }

    @Test("Given a document skipped for a cap, when the cap is raised, then the next run retries it without the file changing")
    func raisedCapRetries() throws {
        let tree = try TemporaryTree()
        try Self.copy("report.pdf", to: tree)
        var capped = ExtractionClient(command: [Self.qwery, "extract-worker"])
        capped.limits.maximumPages = 2
        let indexer = try Self.indexer(tree, extraction: capped)
        let first = try indexer.run(roots: [tree.root])
        #expect(first.filesSkipped == 1)
        capped.limits.maximumPages = 100
        let second = try Self.indexer(tree, extraction: capped, database: indexer.database).run(roots: [tree.root])
        #expect(second.filesIndexed == 1)
    }
}
