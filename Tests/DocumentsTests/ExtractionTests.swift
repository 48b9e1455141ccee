import Corpus
@testable import Documents
import Foundation
import Testing

/// Each format's text, heading path and locator, extracted in this process from the committed fixtures.
@Suite("Document extraction")
struct ExtractionTests {
    func extract(_ name: String, _ format: DocumentFormat, limits: ExtractionLimits = ExtractionLimits()) throws -> ExtractedDocument {
        try DocumentExtractor.extract(try DocumentFixtures.data(name), format: format, limits: limits)
    }

    func section(containing phrase: String, in document: ExtractedDocument) -> ExtractedDocument.Section? {
        document.sections.first { $0.text.contains(phrase) }
    }

    @Test("Given a three-page PDF, when extracted, then each page is one section with its page number, in order")
    func pdfPages() throws {
        let document = try extract("report.pdf", .pdf)
        #expect(document.sections.map(\.locator) == [.page(1), .page(2), .page(3)])
        #expect(section(containing: "heliotrope lighthouse ledger", in: document)?.locator == .page(2))
        #expect(document.sections[2].text.hasPrefix("Appendix\n"), "\(document.sections[2].text)")
    }

    @Test("Given hostile PDFs, when extracted, then each fails with its own reason: encrypted, damaged (truncated), damaged (random bytes)")
    func hostilePDFs() throws {
        #expect(throws: ExtractionFailure.encrypted("PDF")) { try extract("encrypted.pdf", .pdf) }
        #expect(throws: ExtractionFailure.damaged("PDF", detail: "no %PDF header")) { try extract("random.pdf", .pdf) }
        do {
            _ = try extract("truncated.pdf", .pdf)
            Issue.record("a truncated PDF was read")
        } catch let error as ExtractionFailure {
            guard case .damaged("PDF", _) = error else { Issue.record("\(error)"); return }
            #expect(error.reason.hasPrefix("damaged PDF"))
        }
        #expect(ExtractionFailure.encrypted("PDF").reason == "encrypted PDF (needs a password)")
    }

    @Test("Given a DOCX with localized heading style ids and a title, when extracted, then headings nest under the title and deleted text is gone")
    func docxHeadings() throws {
        let document = try extract("memo.docx", .docx)
        let procurement = try #require(section(containing: "saffron procurement spreadsheet", in: document))
        #expect(procurement.headings == ["Quarterly memo", "Budget planning", "Procurement"])
        #expect(procurement.text.contains("Table cell about umbrella stands."), "table cells are text")
        #expect(!document.sections.contains { $0.text.contains("verdigris") }, "w:delText is a deleted revision, not text")
    }

    @Test("Given an ODT, when extracted, then text:h levels are the heading path and text:s spaces are one space")
    func odtHeadings() throws {
        let document = try extract("garden.odt", .odt)
        let greenhouse = try #require(section(containing: "marzipan", in: document))
        #expect(greenhouse.headings == ["Garden plans", "Greenhouse"])
        #expect(greenhouse.text.contains("The marzipan greenhouse thermostat fails at dawn."), "\(greenhouse.text)")
        #expect(greenhouse.text.contains("A list item about compost."))
    }

    @Test("Given an EPUB with a percent-encoded chapter href, when extracted, then spine order holds and each chapter title heads its text")
    func epubChapters() throws {
        let document = try extract("novel.epub", .epub)
        #expect(document.sections.map(\.headings) == [["The Departure"], ["The Crossing"]])
        #expect(section(containing: "periwinkle zeppelin", in: document)?.headings == ["The Crossing"])
    }

    @Test("Given saved HTML, when extracted, then title and headings are the path, and script, style, nav and template text is dropped")
    func htmlText() throws {
        let document = try extract("page.html", .html)
        let harbour = try #require(section(containing: "vermilion tugboat regatta", in: document))
        #expect(harbour.headings == ["Saved page", "Travel log", "Harbour"])
        let all = document.sections.map(\.text).joined(separator: "\n")
        for hidden in ["obsidian scarecrow", "navigationonlyword", "templateonlyword", "color: red"] {
            #expect(!all.contains(hidden), "\(hidden) leaked: \(all)")
        }
        #expect(all.contains("code   kept   as is"), "<pre> keeps its spacing")
    }

    @Test("Given a notebook, when extracted, then markdown and code cells are sections numbered like Jupyter, and outputs are dropped")
    func notebookCells() throws {
        let document = try extract("analysis.ipynb", .notebook)
        #expect(document.sections.map(\.locator) == [.cell(1), .cell(2), .cell(3), .cell(4)])
        #expect(document.sections.map(\.isCode) == [false, true, false, true])
        #expect(section(containing: "chartreuse histogram", in: document)?.headings == ["Analysis", "Results"])
        #expect(!document.sections.contains { $0.text.contains("outputonlyword") })
    }

    @Test("Given a password-protected Word file (an OLE compound file), when extracted, then it is encrypted, not damaged")
    func encryptedWord() throws {
        #expect(throws: ExtractionFailure.encrypted("DOCX")) { try extract("encrypted.docx", .docx) }
        #expect(ExtractionFailure.encrypted("DOCX").reason == "encrypted DOCX (needs a password)")
    }

    @Test("Given an entity-bomb DOCX, when extracted, then it is refused before parsing, naming the part")
    func entityBomb() throws {
        #expect(throws: ExtractionFailure.entityDeclarations(part: "word/document.xml")) { try extract("entity-bomb.docx", .docx) }
    }

    @Test("Given zip bombs (honest and lying headers), when extracted, then the ratio cap or the size cap stops them while streaming")
    func zipBombs() throws {
        for name in ["zip-bomb.docx", "zip-bomb-lying.docx"] {
            do {
                _ = try extract(name, .docx)
                Issue.record("\(name) was inflated")
            } catch let error as ExtractionFailure {
                guard case .compressionRatio(let part, let ratio, let cap) = error else { Issue.record("\(name): \(error)"); continue }
                #expect(part == "word/document.xml" && cap == 200 && ratio > 200)
            }
        }
        // With no ratio cap to speak of, the expanded-size cap stops the lying one at 8 MB, though its header says 1 kB.
        var limits = ExtractionLimits()
        limits.maximumCompressionRatio = 100_000
        limits.maximumExpandedBytes = 8 << 20
        #expect(throws: ExtractionFailure.expandsBeyond(megabytes: 8)) { try extract("zip-bomb-lying.docx", .docx, limits: limits) }
        #expect(throws: ExtractionFailure.expandsBeyond(megabytes: 8)) { try extract("zip-bomb.docx", .docx, limits: limits) }
    }

    @Test("Given a PDF over the page cap, when extracted, then it fails naming the count and the cap to raise")
    func pageCap() throws {
        var limits = ExtractionLimits()
        limits.maximumPages = 2
        #expect(throws: ExtractionFailure.tooManyPages(3, cap: 2)) { try extract("report.pdf", .pdf, limits: limits) }
        #expect(ExtractionFailure.tooManyPages(3, cap: 2).reason.contains("documents.max_pages"))
    }

    @Test("Given a skip for a cap, when the cap changes, then the skip no longer applies; other skips always do")
    func capChangesRetry() {
        var limits = ExtractionLimits()
        let reason = ExtractionFailure.tooManyPages(7000, cap: limits.maximumPages).reason
        #expect(limits.stillApplies(toSkipReason: reason))
        limits.maximumPages = 10_000
        #expect(!limits.stillApplies(toSkipReason: reason))
        #expect(limits.stillApplies(toSkipReason: ExtractionFailure.encrypted("PDF").reason))
        #expect(limits.stillApplies(toSkipReason: nil))
    }

    @Test("Given garbage as each zip format, when extracted, then it is damaged, not a crash")
    func garbageArchives() throws {
        let garbage = Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7919) })
        for format in [DocumentFormat.docx, .odt, .epub] {
            do {
                _ = try DocumentExtractor.extract(garbage, format: format, limits: ExtractionLimits())
                Issue.record("\(format) garbage was read")
            } catch {
                guard case .damaged = error else { Issue.record("\(format): \(error)"); continue }
            }
        }
        #expect(throws: ExtractionFailure.damaged("notebook", detail: "not JSON")) {
            try DocumentExtractor.extract(garbage, format: .notebook, limits: ExtractionLimits())
        }
    }
}
