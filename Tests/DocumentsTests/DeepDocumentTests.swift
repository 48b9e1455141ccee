import Corpus
@testable import Documents
import Foundation
import Testing

/// Nesting and size that made libxml2's trees give up quietly (hostile round 3, items 7 and 8).
@Suite("Deep and large documents")
struct DeepDocumentTests {
    static func html(_ body: String) -> Data {
        Data("<html><head><title>Deep page</title></head><body>\(body)<p>closing kumquat paragraph</p></body></html>".utf8)
    }

    static func text(_ document: ExtractedDocument) -> String {
        document.sections.map(\.text).joined(separator: "\n")
    }

    @Test("Given 100,000 nested divs, when extracted, then the word inside and the paragraph after them are both kept")
    func deeplyNestedDivs() throws {
        let depth = 100_000
        let body = String(repeating: "<div>", count: depth) + "innermost marmoset" + String(repeating: "</div>", count: depth)
        let document = try DocumentExtractor.extract(Self.html(body), format: .html, limits: ExtractionLimits())
        #expect(Self.text(document).contains("innermost marmoset"))
        #expect(Self.text(document).contains("closing kumquat paragraph"))
        #expect(document.sections.first?.headings == ["Deep page"])
        #expect(document.warnings == nil)
    }

    @Test("Given 400 unclosed spans, when extracted, then the rest of the page is kept")
    func unclosedSpans() throws {
        let body = (0..<400).map { "<span>word\($0) " }.joined()
        let document = try DocumentExtractor.extract(Self.html(body), format: .html, limits: ExtractionLimits())
        let text = Self.text(document)
        #expect(text.contains("word399"))
        #expect(text.contains("closing kumquat paragraph"))
    }

    @Test("Given headings, a <pre> with a <br> and dropped elements nested in kept ones, when read as a stream, then the tree's rules hold")
    func streamKeepsTheRules() throws {
        let page = """
            <html><head><title>Guide</title><style>.x{color:red}</style></head><body>
            <h1>Setup<br>steps</h1><p>Install the <b>ocelot</b> <i>toolkit</i>.<script>hiddenscriptword()</script></p>
            <h2>Usage</h2><div><p>one<p>two</div><pre>line  one
            line  two</pre><nav>navonlyword</nav>
            </body></html>
            """
        let document = try DocumentExtractor.extract(Data(page.utf8), format: .html, limits: ExtractionLimits())
        let text = Self.text(document)
        #expect(text.contains("Install the ocelot toolkit."), "\(text)")
        #expect(!text.contains("hiddenscriptword") && !text.contains("navonlyword") && !text.contains("color"))
        #expect(text.contains("line  one\nline  two"))
        #expect(document.sections.first { $0.text.contains("ocelot") }?.headings == ["Guide", "Setup steps"])
        #expect(document.sections.first { $0.text.contains("two") }?.headings == ["Guide", "Setup steps", "Usage"])
        #expect(text.contains("one\n\ntwo"), "paragraphs stay apart: \(text)")
    }

    @Test("Given XML nested 1,000 levels deep (a DOCX's nested tables), when parsed, then it is read, not refused as malformed")
    func deepXML() throws {
        let depth = 1_000
        let xml = "<?xml version=\"1.0\"?><doc>" + String(repeating: "<t>", count: depth) + "bottom" + String(repeating: "</t>", count: depth) + "</doc>"
        let tree = try XMLTree(xml: Array(xml.utf8), part: "word/document.xml", format: "DOCX")
        #expect(tree.root?.textContent == "bottom")
    }
}

extension DeepDocumentTests {
    @Test("Given a notebook with one cell that is not an object, when extracted, then the other cells are read, numbered as Jupyter does, and the odd cell is said")
    func notebookWithOddCell() throws {
        let notebook = ##"{"nbformat":4,"cells":[{"cell_type":"markdown","source":"# Title\nfirst saffron cell"},42,{"cell_type":"code","source":["print('third')\n"]}]}"##
        let document = try DocumentExtractor.extract(Data(notebook.utf8), format: .notebook, limits: ExtractionLimits())
        #expect(document.sections.map(\.locator) == [.cell(1), .cell(3)])
        #expect(document.warnings == ["1 cell is not a JSON object and was skipped (cell 2)"])
    }
}

extension DeepDocumentTests {
    /// A PDF with a correct cross-reference table whose page tree says `/Count` pages but holds `kids` page objects.
    static func pdf(count: Int, kids: Int) -> Data {
        let font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
        let stream = "BT /F1 12 Tf 72 720 Td (quince lantern page) Tj ET"
        var objects = ["<< /Type /Catalog /Pages 2 0 R >>",
                       "<< /Type /Pages /Kids [\((0..<kids).map { "\(5 + $0) 0 R" }.joined(separator: " "))] /Count \(count) >>",
                       font, "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream"]
        for _ in 0..<kids {
            objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 3 0 R >> >> >>")
        }
        var text = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(text.utf8.count)
            text += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = text.utf8.count
        text += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { text += String(format: "%010d 00000 n \n", offset) }
        text += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(text.utf8)
    }

    @Test("Given a PDF whose page tree counts 3 pages and holds none, when extracted, then it is damaged, not a scan without text")
    func pdfWhosePageCountLies() throws {
        let whole = try DocumentExtractor.extract(Self.pdf(count: 1, kids: 1), format: .pdf, limits: ExtractionLimits())
        #expect(whole.sections.first?.text.contains("quince lantern page") == true, "the generator writes a readable PDF")
        let lying = Result { () throws(ExtractionFailure) -> ExtractedDocument in
            try DocumentExtractor.extract(Self.pdf(count: 3, kids: 0), format: .pdf, limits: ExtractionLimits())
        }
        #expect(lying == .failure(.damaged("PDF", detail: "its page tree counts 3 pages and none of them can be read")), "\(lying)")
    }
}

extension DeepDocumentTests {
    @Test("Given HTML with more text than max_text_mb, when extracted, then it is refused for that cap, naming it")
    func htmlOverTheTextCap() throws {
        var limits = ExtractionLimits()
        limits.maximumTextBytes = 1 << 20
        let body = String(repeating: "<p>" + String(repeating: "lantern ", count: 100) + "</p>\n", count: 5_000)
        let result = Result { () throws(ExtractionFailure) -> ExtractedDocument in
            try DocumentExtractor.extract(Self.html(body), format: .html, limits: limits)
        }
        #expect(result == .failure(.tooMuchText(megabytes: 1)), "\(String(describing: try? result.get().sections.count))")
    }
}
