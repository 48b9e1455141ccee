import Corpus
import Foundation

/// One document's bytes to its text, in this process. The indexer never calls it directly: it runs in
/// the extraction worker (`ExtractionWorker`), so a parser that crashes or hangs costs that file only.
package enum DocumentExtractor {
    package static func extract(_ data: Data, format: DocumentFormat, limits: ExtractionLimits) throws(ExtractionFailure) -> ExtractedDocument {
        let document: ExtractedDocument
        switch format {
        case .pdf: document = try PDFExtractor.extract(data, limits: limits)
        case .docx: document = try WordExtractor.extract(data, limits: limits)
        case .odt: document = try OpenDocumentExtractor.extract(data, limits: limits)
        case .epub: document = try EPUBExtractor.extract(data, limits: limits)
        case .html: document = try HTMLExtractor.extract(data, limits: limits)
        case .notebook: document = try NotebookExtractor.extract(data)
        }
        let textBytes = document.sections.reduce(0) { $0 + $1.text.utf8.count }
        if textBytes > limits.maximumTextBytes { throw .tooMuchText(megabytes: limits.maximumTextBytes >> 20) }
        return document
    }
}
