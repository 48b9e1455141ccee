import Corpus
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the worker writes on its standard output: the document's text or why there is none.
package struct ExtractionReply: Codable, Sendable {
    package var document: ExtractedDocument?
    package var failure: ExtractionFailure?
}

/// The worker side (`qwery extract-worker FORMAT LIMITS-JSON`): caps its own address space, CPU time and
/// core dumps before it reads a byte, reads the document from standard input (the indexer hands it the
/// descriptor it opened, so the worker never resolves a path), and writes one JSON reply.
package enum ExtractionWorker {
    package static func run(format: DocumentFormat, limits: ExtractionLimits) -> Int32 {
        applyResourceLimits(limits)
        let input = FileHandle.standardInput.readDataToEndOfFile()
        var reply = ExtractionReply()
        do {
            reply.document = try DocumentExtractor.extract(input, format: format, limits: limits)
        } catch {
            reply.failure = error
        }
        guard let encoded = try? JSONEncoder().encode(reply) else { return 1 }
        FileHandle.standardOutput.write(encoded)
        return 0
    }

    static func applyResourceLimits(_ limits: ExtractionLimits) {
        func set(_ resource: Int32, _ value: UInt64) {
            var limit = rlimit(rlim_cur: rlim_t(value), rlim_max: rlim_t(value))
            _ = setrlimit(__rlimit_resource_t(UInt32(resource)), &limit)
        }
        set(Int32(RLIMIT_AS.rawValue), UInt64(limits.memoryMegabytes) << 20)
        set(Int32(RLIMIT_CPU.rawValue), UInt64(limits.timeoutSeconds + 1))
        set(Int32(RLIMIT_CORE.rawValue), 0)
    }
}
