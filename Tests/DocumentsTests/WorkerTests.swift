import Corpus
import Documents
import Foundation
import Testing

/// The worker process: the real `qwery extract-worker` over a descriptor, and stand-ins that hang or crash.
@Suite("Extraction worker")
struct WorkerTests {
    func withDescriptor<T>(_ name: String, _ body: (Int32) throws -> T) throws -> T {
        let descriptor = open(DocumentFixtures.folder + "/" + name, O_RDONLY | O_CLOEXEC)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        return try body(descriptor)
    }

    @Test("Given the qwery binary as worker, when a PDF's descriptor is handed over, then its pages come back over the pipe")
    func realWorker() throws {
        let client = ExtractionClient(command: [DocumentFixtures.qwery, "extract-worker"])
        let result = try withDescriptor("report.pdf") { client.extract(descriptor: $0, format: .pdf) }
        let document = try result.get()
        #expect(document.sections.count == 3)
        #expect(document.sections.first { $0.text.contains("heliotrope") }?.locator == .page(2))
    }

    @Test("Given the real worker, when handed an encrypted PDF and a zip bomb, then the failures cross the pipe as reasons")
    func realWorkerFailures() throws {
        let client = ExtractionClient(command: [DocumentFixtures.qwery, "extract-worker"])
        #expect(try withDescriptor("encrypted.pdf") { client.extract(descriptor: $0, format: .pdf) } == .failure(.encrypted("PDF")))
        let bomb = try withDescriptor("zip-bomb-lying.docx") { client.extract(descriptor: $0, format: .docx) }
        guard case .failure(.compressionRatio) = bomb else { Issue.record("\(bomb)"); return }
    }

    @Test("Given a worker that never answers, when the deadline passes, then it is killed and the document times out")
    func hangingWorker() throws {
        var limits = ExtractionLimits()
        limits.timeoutSeconds = 1
        // exec: the shell becomes sleep, so the kill reaches the process holding the pipe.
        let client = ExtractionClient(command: ["/bin/sh", "-c", "exec sleep 600", "worker"], limits: limits)
        let result = try withDescriptor("report.pdf") { client.extract(descriptor: $0, format: .pdf) }
        #expect(result == .failure(.timedOut(seconds: 1)))
        #expect(ExtractionFailure.timedOut(seconds: 1).reason == "extraction took longer than 1 s (raise documents.timeout_seconds to wait longer)")
    }

    @Test("Given a worker that crashes, when it dies by a signal, then the document is skipped naming the signal")
    func crashingWorker() throws {
        let client = ExtractionClient(command: ["/bin/sh", "-c", "kill -SEGV $$", "worker"])
        let result = try withDescriptor("report.pdf") { client.extract(descriptor: $0, format: .pdf) }
        #expect(result == .failure(.crashed(signal: 11, memoryMegabytes: 1024)))
    }

    @Test("Given a worker killed from outside with SIGKILL, when it dies, then the reason says so and the document is tried again next run; a text cap names its setting and is retried once raised")
    func killedFromOutsideAndTextCap() throws {
        let client = ExtractionClient(command: ["/bin/sh", "-c", "kill -KILL $$", "worker"])
        let result = try withDescriptor("report.pdf") { client.extract(descriptor: $0, format: .pdf) }
        #expect(result == .failure(.crashed(signal: 9, memoryMegabytes: 1024)))
        let killed = ExtractionFailure.crashed(signal: 9, memoryMegabytes: 1024).reason
        #expect(killed.contains("killed from outside (signal 9"))
        #expect(!ExtractionLimits().stillApplies(toSkipReason: killed), "not a cap of the document: retried")
        let segfault = ExtractionFailure.crashed(signal: 11, memoryMegabytes: 1024).reason
        #expect(ExtractionLimits().stillApplies(toSkipReason: segfault), "a crash under the same cap stays skipped")
        let text = ExtractionFailure.tooMuchText(megabytes: 32).reason
        #expect(text == "yields more than 32 MB of text (raise documents.max_text_mb to read it)")
        var raised = ExtractionLimits()
        raised.maximumTextBytes = 64 << 20
        #expect(ExtractionLimits().stillApplies(toSkipReason: text) && !raised.stillApplies(toSkipReason: text))
    }

    @Test("Given a worker that is missing, when spawned, then the failure says it could not start")
    func missingWorker() throws {
        let client = ExtractionClient(command: ["/nonexistent/qwery", "extract-worker"])
        let result = try withDescriptor("report.pdf") { client.extract(descriptor: $0, format: .pdf) }
        guard case .failure(.workerUnavailable(let why)) = result else { Issue.record("\(result)"); return }
        #expect(why.contains("/nonexistent/qwery"))
    }
}
