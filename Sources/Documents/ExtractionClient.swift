import CProcess
import Corpus
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The indexer's side of extraction: one worker process per document (qwery itself, re-invoked as
/// `extract-worker`), given the already-opened file as its standard input, read through a pipe under a
/// wall-clock deadline, and killed at it. A crash, a hang or a memory blow-up costs that document only.
///
/// Spawned with posix_spawn rather than Foundation's Process: the descriptor must become the child's
/// standard input, no other descriptor of the indexer (the index, its locks) may leak into it, and the
/// deadline is a poll on the pipe — synchronous, like the indexer that calls it.
package struct ExtractionClient: Sendable {
    /// The worker's executable and leading arguments.
    package var command: [String]
    package var limits: ExtractionLimits

    package init(command: [String] = ExtractionClient.defaultCommand, limits: ExtractionLimits = ExtractionLimits()) {
        self.command = command
        self.limits = limits
    }

    /// This very executable, as `qwery extract-worker`.
    package static var defaultCommand: [String] {
        [ExecutablePath.current, "extract-worker"]
    }

    /// Extracts the document open at `descriptor` (read from its start).
    package func extract(descriptor: Int32, format: DocumentFormat) -> Result<ExtractedDocument, ExtractionFailure> {
        guard !command.isEmpty else { return .failure(.workerUnavailable("no worker command")) }
        guard let limitsJSON = try? JSONEncoder().encode(limits) else { return .failure(.workerUnavailable("limits")) }
        let arguments = command + [format.rawValue, String(decoding: limitsJSON, as: UTF8.self)]
        var pipeEnds: [Int32] = [0, 0]
        guard qwery_pipe_cloexec(&pipeEnds) == 0 else { return .failure(.workerUnavailable(String(cString: strerror(errno)))) }
        defer { close(pipeEnds[0]) }
        lseek(descriptor, 0, SEEK_SET)
        let started = ChildProcess.start(arguments, input: .descriptor(descriptor), output: .descriptor(pipeEnds[1]))
        close(pipeEnds[1])
        let pid: pid_t
        switch started {
        case .success(let spawned): pid = spawned
        case .failure(let failure): return .failure(.workerUnavailable(failure.reason))
        }

        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(limits.timeoutSeconds) * 1_000_000_000
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        // JSON escapes at most double most text; past that the worker is not sending a document.
        let outputCap = limits.maximumTextBytes * 3 + (1 << 20)
        var outcome: ExtractionFailure?
        reading: while true {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else {
                outcome = .timedOut(seconds: limits.timeoutSeconds)
                break
            }
            var poller = pollfd(fd: pipeEnds[0], events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min((deadline - now) / 1_000_000 + 1, 60_000)))
            if ready < 0 && errno != EINTR {
                // Never wait on a worker we can no longer read: it is killed, the document skipped.
                outcome = .workerUnavailable("cannot read its reply (\(String(cString: strerror(errno))))")
                break
            }
            if ready <= 0 { continue }
            let count = buffer.withUnsafeMutableBytes { read(pipeEnds[0], $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                outcome = .workerUnavailable("cannot read its reply (\(String(cString: strerror(errno))))")
                break
            }
            if count == 0 { break reading }
            output += buffer[0..<count]
            if output.count > outputCap {
                outcome = .tooMuchText(megabytes: limits.maximumTextBytes >> 20)
                break
            }
        }
        if outcome != nil { Glibc.kill(pid, SIGKILL) }
        let status = ChildProcess.wait(pid)
        if let outcome { return .failure(outcome) }
        let signal = status & 0x7F
        if signal == SIGXCPU { return .failure(.timedOut(seconds: limits.timeoutSeconds)) }
        if signal != 0 { return .failure(.crashed(signal: signal, memoryMegabytes: limits.memoryMegabytes)) }
        guard let reply = try? JSONDecoder().decode(ExtractionReply.self, from: Data(output)) else {
            let code = (status >> 8) & 0xFF
            return .failure(.crashed(signal: 0, memoryMegabytes: limits.memoryMegabytes).withExitCode(code))
        }
        if let failure = reply.failure { return .failure(failure) }
        return .success(reply.document ?? ExtractedDocument(sections: []))
    }
}

extension ExtractionFailure {
    /// A worker that exited without a reply (out of memory in a C library ends in abort or exit).
    func withExitCode(_ code: Int32) -> ExtractionFailure {
        code == 0 ? self : .workerUnavailable("the worker exited with status \(code) and no reply")
    }
}
