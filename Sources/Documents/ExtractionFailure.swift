/// Why a document's text could not be had; `reason` is what `qwery status` lists beside the file.
package enum ExtractionFailure: Error, Equatable, Sendable, Codable {
    case encrypted(String)
    case damaged(String, detail: String)
    case expandsBeyond(megabytes: Int64)
    case compressionRatio(part: String, ratio: Int, cap: Int)
    case tooManyPages(Int, cap: Int)
    case tooMuchText(megabytes: Int)
    case entityDeclarations(part: String)
    case timedOut(seconds: Int)
    case crashed(signal: Int32, memoryMegabytes: Int)
    case workerUnavailable(String)

    package var reason: String {
        switch self {
        case .encrypted(let format):
            return "encrypted \(format) (needs a password)"
        case .damaged(let format, let detail):
            return "damaged \(format)" + (detail.isEmpty ? "" : " (\(detail))")
        case .expandsBeyond(let megabytes):
            return "archive expands beyond \(megabytes) MB (raise documents.max_expanded_mb to read it)"
        case .compressionRatio(let part, let ratio, let cap):
            return "archive part \(part) expands over \(ratio):1, past the \(cap):1 cap (a zip bomb?); raise documents.max_compression_ratio to read it"
        case .tooManyPages(let pages, let cap):
            return "\(pages) pages, over the \(cap)-page cap (raise documents.max_pages to read it)"
        case .tooMuchText(let megabytes):
            return "yields more than \(megabytes) MB of text (raise documents.max_text_mb to read it)"
        case .entityDeclarations(let part):
            return "\(part) declares XML entities (a possible entity bomb); refused"
        case .timedOut(let seconds):
            return "extraction took longer than \(seconds) s (raise documents.timeout_seconds to wait longer)"
        case .crashed(let signal, _) where signal == 9:
            // Our own deadline kill is reported as a timeout; a SIGKILL otherwise came from outside.
            return "the extractor was killed from outside (signal 9: the out-of-memory killer, or a person); it is tried again on the next run"
        case .crashed(let signal, let memory):
            return "the extractor stopped on it (signal \(signal); its memory cap is \(memory) MB: documents.memory_mb)"
        case .workerUnavailable(let why):
            return "could not start the extraction worker: \(why)"
        }
    }
}
