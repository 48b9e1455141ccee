import CPoppler
import Corpus
import Foundation

/// PDF through poppler's GLib interface: one section per page, its text in poppler's reading order,
/// with the page (1-based) as locator, so a chunk never spans two pages. An encrypted PDF that opens
/// with the empty password (permissions only) is read; one that needs a password is skipped as such.
enum PDFExtractor {
    static func extract(_ data: Data, limits: ExtractionLimits) throws(ExtractionFailure) -> ExtractedDocument {
        guard data.starts(with: Array("%PDF".utf8)) || data.prefix(1024).range(of: Data("%PDF-".utf8)) != nil else {
            throw .damaged("PDF", detail: "no %PDF header")
        }
        let bytes = data.withUnsafeBytes { buffer in g_bytes_new(buffer.baseAddress, gsize(buffer.count)) }
        defer { g_bytes_unref(bytes) }
        var error: UnsafeMutablePointer<GError>?
        guard let document = poppler_document_new_from_bytes(bytes, nil, &error) else {
            defer { g_error_free(error) }
            if let error, error.pointee.domain == poppler_error_quark(), error.pointee.code == Int32(POPPLER_ERROR_ENCRYPTED.rawValue) {
                throw .encrypted("PDF")
            }
            let message = error?.pointee.message.map { String(cString: $0) } ?? ""
            throw .damaged("PDF", detail: message.isEmpty ? "poppler cannot open it" : message)
        }
        defer { g_object_unref(UnsafeMutableRawPointer(document)) }
        let pageCount = Int(poppler_document_get_n_pages(document))
        if pageCount > limits.maximumPages { throw .tooManyPages(pageCount, cap: limits.maximumPages) }
        var sections: [ExtractedDocument.Section] = []
        var textBytes = 0
        var missingPages: [Int] = []
        for index in 0..<pageCount {
            guard let page = poppler_document_get_page(document, Int32(index)) else {
                missingPages.append(index + 1)
                continue
            }
            defer { g_object_unref(UnsafeMutableRawPointer(page)) }
            guard let raw = poppler_page_get_text(page) else { continue }
            defer { g_free(raw) }
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
