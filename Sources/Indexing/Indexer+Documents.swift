import CProcess
import Checksums
import Corpus
import Documents
import Foundation
import Store

/// Documents in the indexer: the bytes are hashed here, the text is taken from the index when this
/// content was extracted before (a re-chunk, a new model, a moved file), else from the extraction
/// worker, which is handed the descriptor opened here — it never resolves a path itself.
extension Indexer {
    private enum DocumentOutcome {
        case unchanged
        case stored(ExtractedDocument)
        case extracted(Result<ExtractedDocument, ExtractionFailure>)
    }

    func updateDocument(_ file: WalkedFile, format: DocumentFormat, previous: FileRecord?, rootId: Int64, summary: inout IndexSummary,
                        done: Int, total: Int, report: (IndexEvent) -> Void) throws {
        let read = FileContents.readBytes(path: file.readPath ?? file.path, limit: walker.options.maximumDocumentSize) { descriptor, bytes -> (Data, DocumentOutcome) in
            let contentHash = SHA256.hash(bytes)
            if let previous, previous.status == .indexed, previous.contentHash == contentHash {
                return (contentHash, .unchanged)
            }
            if let stored = try? database.documentText(contentHash: contentHash),
               let document = try? JSONDecoder().decode(ExtractedDocument.self, from: Data(stored.sections.utf8)) {
                return (contentHash, .stored(document))
            }
            // The worker reads a sealed in-memory copy of exactly these bytes, not the file again: a document
            // rewritten meanwhile can never have one version's text stored under the other's hash.
            let snapshot = bytes.withUnsafeBytes { qwery_memory_file($0.baseAddress, UInt($0.count)) }
            guard snapshot >= 0 else { return (contentHash, .extracted(extraction.extract(descriptor: descriptor, format: format))) }
            defer { close(snapshot) }
            return (contentHash, .extracted(extraction.extract(descriptor: snapshot, format: format)))
        }
        let contentHash: Data
        let outcome: DocumentOutcome
        switch read {
        case .success(let result): (contentHash, outcome) = result
        case .failure(.vanished): return
        case .failure(let problem):
            try saveSkipped(file, rootId: rootId, reason: problem.reason, summary: &summary, report: report)
            return
        }
        let document: ExtractedDocument
        switch outcome {
        case .unchanged:
            if let id = previous?.id { try database.updateFileStat(id: id, size: file.size, modifiedAt: file.modifiedAt) }
            summary.filesTouched += 1
            return
        case .stored(let stored):
            document = stored
        case .extracted(.failure(let failure)):
            try saveSkipped(file, rootId: rootId, reason: failure.reason, summary: &summary, report: report)
            return
        case .extracted(.success(let extracted)):
            guard extracted.hasText else {
                let reason = format == .pdf ? "PDF without a text layer (a scan? run OCR on it first, e.g. ocrmypdf)" : "\(format.displayName) with no text"
                try saveSkipped(file, rootId: rootId, reason: reason, summary: &summary, report: report)
                return
            }
            for warning in extracted.warnings ?? [] { report(.problem("\(file.path): \(warning)")) }
            let sections = String(decoding: try JSONEncoder().encode(extracted), as: UTF8.self)
            try database.saveDocumentText(DocumentTextRecord(contentHash: contentHash, format: format.rawValue, sections: sections,
                                                             text: DocumentLayout(extracted).text))
            document = extracted
        }
        try saveIndexed(file, contentHash: contentHash, chunks: chunker.chunks(of: document), rootId: rootId, summary: &summary,
                        done: done, total: total, report: report)
    }
}
