import CProcess
import Corpus
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The indexer's and the screen's side of `SyntaxWorker`: one long-lived `qwery syntax-worker` process,
/// started on first use, asked for a file's outline or highlight runs over a socket pair. When the worker
/// dies (a crashing scanner), stops answering within `timeoutSeconds`, or cannot start, that one request
/// gets nil — the file is chunked by indentation, or previewed plain — the failure is kept for the caller
/// to report, and the next request starts a fresh worker.
///
/// A process per file would cost 25–30 ms each (the extraction worker's start, measured in README
/// Performance): more than parsing a whole repository. One worker, one request at a time, costs a copy
/// of the text each way.
package final class SyntaxWorkerClient: Sendable {
    /// The worker's executable and arguments (`[qwery, "syntax-worker"]`).
    package let command: [String]
    package let timeoutSeconds: Int
    private let worker = Mutex<Process?>(nil)
    /// Set when the worker cannot be started at all: said once, then every file is chunked by indentation.
    private let cannotStart = Atomic<Bool>(false)
    private let failures = Mutex<[String]>([])

    private struct Process {
        let pid: pid_t
        let channel: Int32
    }

    /// Set by the qwery executable at start (`[qwery, "syntax-worker"]`); nil in tests and tools, which parse
    /// in-process.
    package static let defaultCommand = Mutex<[String]?>(nil)

    /// A client of the executable's worker, nil when none is set.
    package static func makeDefault() -> SyntaxWorkerClient? {
        defaultCommand.withLock { $0 }.map { SyntaxWorkerClient(command: $0) }
    }

    package init(command: [String], timeoutSeconds: Int = 10) {
        self.command = command
        self.timeoutSeconds = timeoutSeconds
    }

    deinit {
        worker.withLock { process in
            if let process { Self.stop(process) }
        }
    }

    /// The definitions of `text` (the grammar chosen by `path`'s extension), nil without a grammar or a parse.
    package func outline(_ text: String, path: String) -> [SyntaxDefinition]? {
        request(.outline, text: text, path: path).flatMap { try? JSONDecoder().decode([SyntaxDefinition].self, from: $0) }
    }

    /// The highlight runs of each line of `text`, nil without a grammar, queries or a parse.
    package func highlights(_ text: String, path: String) -> [[HighlightRun]]? {
        request(.highlight, text: text, path: path).flatMap { try? JSONDecoder().decode([[HighlightRun]].self, from: $0) }
    }

    /// Whether `spec`'s grammar loads, its version and its highlight patterns left out, as the worker finds when it
    /// loads it; nil when the worker died loading it (the reason is in `takeFailures`) or could not start.
    /// Whether `spec` loads in the worker; with `countingPatterns`, its highlight queries are compiled to count the
    /// patterns that do not fit (the probe's text says which: "patterns" or nothing).
    package func probe(_ spec: GrammarSpec, countingPatterns: Bool = true) -> GrammarReport? {
        request(.probe, text: countingPatterns ? "patterns" : "", path: spec.name).flatMap { try? JSONDecoder().decode(GrammarReport.self, from: $0) }
    }

    /// What went wrong since the last call ("src/x.py: the syntax worker stopped on it (signal 11)"), oldest first.
    package func takeFailures() -> [String] {
        failures.withLock { taken in
            defer { taken = [] }
            return taken
        }
    }

    private func request(_ kind: SyntaxWorker.Kind, text: String, path: String) -> Data? {
        let textBytes = Array(text.utf8)
        guard textBytes.count <= WorkerFrame.maximumBytes else { return nil }
        let pathBytes = Array(path.utf8)
        let message = [kind.rawValue] + WorkerFrame.length(pathBytes.count) + pathBytes + WorkerFrame.length(textBytes.count) + textBytes
        guard !cannotStart.load(ordering: .relaxed) else { return nil }
        return worker.withLock { current -> Data? in
            if current == nil {
                switch start() {
                case .success(let started): current = started
                case .failure(let reason):
                    cannotStart.store(true, ordering: .relaxed)
                    failures.withLock { $0.append("\(path): \(reason) (code is chunked by indentation until qwery restarts)") }
                    return nil
                }
            }
            guard let process = current else { return nil }
            switch exchange(message, with: process) {
            case .success(let reply):
                return reply
            case .failure(let failure):
                let status = Self.stop(process)
                current = nil
                // Killed here after the channel closed: the worker was already gone; its own end says why.
                let signal = status & 0x7f
                let reason = failure.workerEnded && signal != 0 && signal != SIGKILL ? "the syntax worker stopped on it (signal \(signal))"
                    : failure.workerEnded && signal == 0 ? "the syntax worker exited (status \(status >> 8)) on it" : failure.description
                failures.withLock { $0.append("\(path): \(reason)") }
                return nil
            }
        }
    }

    private struct Failure: Error, CustomStringConvertible {
        let description: String
        /// The channel closed under us: the worker ended (or is ending) on its own.
        var workerEnded = false
    }

    private func exchange(_ message: [UInt8], with process: Process) -> Result<Data?, Failure> {
        guard WorkerFrame.write(process.channel, message, send: { qwery_send_nosignal($0, $1, UInt($2)) }) else {
            return .failure(Failure(description: "the syntax worker stopped reading", workerEnded: true))
        }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeoutSeconds) * 1_000_000_000
        var reply: [UInt8] = []
        var expected: Int?
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while expected.map({ reply.count < $0 }) ?? true {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else {
                return .failure(Failure(description: "the syntax worker took longer than \(timeoutSeconds) s on it"))
            }
            var poller = pollfd(fd: process.channel, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min((deadline - now) / 1_000_000 + 1, 60_000)))
            if ready < 0 && errno != EINTR { return .failure(Failure(description: "cannot read the syntax worker")) }
            if ready <= 0 { continue }
            let count = buffer.withUnsafeMutableBytes { bytes in bytes.baseAddress.map { read(process.channel, $0, bytes.count) } ?? -1 }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return .failure(Failure(description: "the syntax worker closed its channel", workerEnded: true)) }
            reply += buffer[0..<count]
            if expected == nil, reply.count >= 5 {
                let length = Int(UInt32(reply[1]) | UInt32(reply[2]) << 8 | UInt32(reply[3]) << 16 | UInt32(reply[4]) << 24)
                // Outlines and highlight runs of a text of at most 16 MB: past this it is not a reply.
                guard length <= 1 << 28 else { return .failure(Failure(description: "the syntax worker's reply says \(length) bytes")) }
                expected = 5 + length
            }
        }
        guard let expected, reply.count == expected else { return .failure(Failure(description: "the syntax worker sent more than it said")) }
        return .success(reply[0] == 1 ? Data(reply[5...]) : nil)
    }

    private func start() -> Result<Process, Failure> {
        var ends: [Int32] = [0, 0]
        guard qwery_socketpair_cloexec(&ends) == 0 else {
            return .failure(Failure(description: "cannot start the syntax worker: \(String(cString: strerror(errno)))"))
        }
        let started = ChildProcess.start(command, input: .descriptor(ends[1]), output: .descriptor(ends[1]))
        close(ends[1])
        switch started {
        case .success(let pid): return .success(Process(pid: pid, channel: ends[0]))
        case .failure(let failure):
            close(ends[0])
            return .failure(Failure(description: "cannot start the syntax worker \(failure.reason)"))
        }
    }

    /// Kills the worker (a no-op when it already died) and reaps it; returns its wait status.
    @discardableResult
    private static func stop(_ process: Process) -> Int32 {
        Glibc.kill(process.pid, SIGKILL)
        close(process.channel)
        return ChildProcess.wait(process.pid)
    }
}
