import CPDF
import Corpus
import Foundation

/// PDF through poppler's GLib interface (opened on first use: `CPDF`): one section per page, its text in poppler's reading order,
/// with the page (1-based) as locator, so a chunk never spans two pages. An encrypted PDF that opens
/// with the empty password (permissions only) is read; one that needs a password is skipped as such.
enum PDFExtractor {
    static func extract(_ data: Data, limits: ExtractionLimits) throws(ExtractionFailure) -> ExtractedDocument {
        guard data.starts(with: Array("%PDF".utf8)) || data.prefix(1024).range(of: Data("%PDF-".utf8)) != nil else {
            throw .damaged("PDF", detail: "no %PDF header")
        }
        var opened: UnsafeMutableRawPointer?
        var message: UnsafeMutablePointer<CChar>?
        let status = data.withUnsafeBytes { buffer in qwery_pdf_open(buffer.baseAddress, buffer.count, &opened, &message) }
        let said = message.map { String(cString: $0) } ?? ""
        qwery_pdf_free_text(message)
        guard status == 0, let document = opened else {
            if status == 1 { throw .encrypted("PDF") }
            throw .damaged("PDF", detail: said.isEmpty ? "poppler cannot open it" : said)
        }
        defer { qwery_pdf_close(document) }
        let pageCount = Int(qwery_pdf_page_count(document))
        if pageCount > limits.maximumPages { throw .tooManyPages(pageCount, cap: limits.maximumPages) }
        var sections: [ExtractedDocument.Section] = []
        var textBytes = 0
        var missingPages: [Int] = []
        for index in 0..<pageCount {
            var missing: Int32 = 0
            let raw = qwery_pdf_page_text(document, Int32(index), &missing)
            if missing != 0 {
                missingPages.append(index + 1)
                continue
            }
            guard let raw else { continue }
            defer { qwery_pdf_free_text(raw) }
            let text = String(decoding: UnsafeRawBufferPointer(start: raw, count: strlen(raw)), as: UTF8.self)
                .replacingOccurrences(of: "\u{0C}", with: "\n")
            textBytes += text.utf8.count
            if textBytes > limits.maximumTextBytes { throw .tooMuchText(megabytes: limits.maximumTextBytes >> 20) }
            guard !text.allSatisfy({ $0.isWhitespace }) else { continue }
            sections.append(ExtractedDocument.Section(locator: .page(index + 1), text: text))
        }
        // A page tree whose count lies (it names pages that are not there) is damage, not a scan without text.
        if !missingPages.isEmpty && missingPages.count == pageCount {
            throw .damaged("PDF", detail: "its page tree counts \(pageCount) page\(pageCount == 1 ? "" : "s") and none of them can be read")
        }
        var extracted = ExtractedDocument(sections: sections)
        if !missingPages.isEmpty {
            let listed = missingPages.prefix(5).map(String.init).joined(separator: ", ") + (missingPages.count > 5 ? ", …" : "")
            extracted.warnings = ["\(missingPages.count) of its \(pageCount) pages cannot be read (a damaged page tree): page \(listed)"]
        }
        return extracted
    }
}
