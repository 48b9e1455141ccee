/// The caps one document's extraction runs under. Defaults are in `qwery config` (`documents.*`); each
/// can be raised there. A document over a cap is skipped with a reason naming the cap, never half-read.
package struct ExtractionLimits: Sendable, Equatable, Codable {
    /// Bytes an archive (DOCX, ODT, EPUB) may expand to, all parts read counted together.
    package var maximumExpandedBytes: Int64 = 256 << 20
    /// Expanded size over compressed size, for any part past its first megabyte (zeros compress 1000:1).
    package var maximumCompressionRatio: Int = 200
    package var maximumPages: Int = 5000
    /// Wall time for one document, worker start included.
    package var timeoutSeconds: Int = 60
    /// Address space of the worker process.
    package var memoryMegabytes: Int = 1024
    /// Text one document may yield (a 100 MB text dump is not a note).
    package var maximumTextBytes: Int = 32 << 20

    package init() {}

    /// Parts smaller than this are never refused for their ratio (a page of spaces compresses well).
    static let ratioFreeBytes: Int64 = 1 << 20
}

extension ExtractionLimits {
    /// Whether a document skipped for `reason` stays skipped under these caps: a skip for a cap that has
    /// since been raised (or lowered) is retried without the file changing.
    package func stillApplies(toSkipReason reason: String?) -> Bool {
        guard let reason else { return true }
        // Killed from outside says nothing about the document: it is tried again.
        if reason.contains("killed from outside") { return false }
        guard reason.contains("documents.") else { return true }
        let current: [ExtractionFailure] = [
            .expandsBeyond(megabytes: maximumExpandedBytes >> 20), .tooManyPages(0, cap: maximumPages),
            .timedOut(seconds: timeoutSeconds), .crashed(signal: 0, memoryMegabytes: memoryMegabytes),
            .compressionRatio(part: "", ratio: 0, cap: maximumCompressionRatio), .tooMuchText(megabytes: maximumTextBytes >> 20),
        ]
        return current.contains { failure in reason.contains(failure.capPhrase) }
    }
}

extension ExtractionFailure {
    /// The words of a reason that name the cap in force ("5000-page cap").
    var capPhrase: String {
        switch self {
        case .expandsBeyond(let megabytes): return "beyond \(megabytes) MB"
        case .tooManyPages(_, let cap): return "\(cap)-page cap"
        case .timedOut(let seconds): return "longer than \(seconds) s"
        case .crashed(_, let memory): return "cap is \(memory) MB"
        case .compressionRatio(_, _, let cap): return "\(cap):1 cap"
        case .tooMuchText(let megabytes): return "more than \(megabytes) MB of text"
        default: return reason
        }
    }
}
