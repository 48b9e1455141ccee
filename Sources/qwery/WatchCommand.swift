import ArgumentParser
import Dispatch
import Foundation
import QweryCore
import Synchronization

/// `qwery watch FOLDER...`: index, then keep the index fresh without a screen, so the screen, `qwery
/// search` and agents always find it current. Log lines go to stderr; SIGTERM or Ctrl-C ends it between
/// two files or two embedding batches, with everything before committed.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Index folders and keep the index fresh as files change, without a screen (for a systemd user unit)."
    )

    @Argument(help: "Folders to watch (default: the folders already in the index).")
    var folders: [String] = []

    @OptionGroup var storage: StorageOptions
    @OptionGroup var models: ModelOptions
    @OptionGroup var engine: EngineOptions
    @OptionGroup var walking: WalkOptions

    func run() throws {
        let library = try Library.open(storage: storage, models: models, engine: engine, walking: walking, verify: true)
        let roots = try library.roots(naming: folders)
        let stop = StopRequest()
        // Serving: the search service the server answers from is the one the indexer feeds, so a vector is
        // searchable through the socket as soon as its batch commits (its model and vectors loaded once, now).
        let live = try library.startLiveSession(roots: roots, feedsSearch: !noServe, shouldStop: { stop.isRequested }) {
            Self.log($0, prefix: "qwery watch")
        }
        Self.log("watching \(roots.joined(separator: ", ")) (index \(library.indexPath))")
        let server = noServe ? nil : startServer(library)
        stop.wait()
        Self.log("stopping: finishing the current file or batch")
        server?.stop()
        live.stop()
        live.waitUntilIdle()
        Self.log("stopped")
    }

    @Flag(name: .customLong("no-serve"), help: "Do not answer other qwery commands' searches over this index's socket.")
    var noServe = false

    /// The warm path for `qwery search` and `status`: a socket of this index, models and vectors loaded once, now.
    private func startServer(_ library: Library) -> QueryServer? {
        do {
            // Under systemd socket activation (`qwery-watch.socket`), the socket systemd made; else our own.
            let activated = ServerAddress.activatedListener()
            for key in ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"] { unsetenv(key) }  // not for our workers
            let server = try QueryServer(library: library, inherited: activated)
            server.start()
            Self.log("serving searches at \(server.socketPath)")
            // The reranker loaded now rather than by the first search: the point of the server is that nobody waits.
            DispatchQueue.global().async { try? library.loadModels() }
            return server
        } catch {
            Self.log("warning: not serving searches: \(error) (searches load the models themselves)")
            return nil
        }
    }

    /// A session's event as a log line: indexing progress; vectors followed from another writer are not logged.
    static func log(_ event: LibraryEvent, prefix: String) {
        if case .indexing(let indexing) = event { log(indexing, prefix: prefix) }
    }

    /// One log line per event worth a line (embedding progress every 256 chunks and at the end).
    static func log(_ event: IndexEvent, prefix: String) {
        let log = { (message: String) in Self.log(message, prefix: prefix) }
        switch event {
        case .scanning(let root): log("scanning \(root)")
        case .indexed(let path, let chunks, _, _): log("indexed \(path) (\(chunks) chunks)")
        case .skipped(let path, let reason): log("skipped \(path): \(reason)")
        case .removed(let path): log("removed \(path)")
        case .embedding(0, let total, _): log("embedding \(total) chunks")
        case .embedding(let done, let total, let rate) where done == total || done % 256 == 0:
            log(String(format: "embedded %d/%d chunks (%.0f tokens/s)", done, total, rate))
        case .embedding: break
        case .finished(let summary):
            log("up to date: \(summary.filesIndexed) indexed, \(summary.filesRemoved) removed, \(summary.chunksEmbedded) chunks embedded")
        case .changesIndexed(let summary):
            log("changes searchable while embedding: \(summary.filesIndexed) indexed, \(summary.filesRemoved) removed")
        case .problem(let message): log("warning: \(message)")
        case .followedWriter: break
        case .followingWriter(let pid), .waitingForWatcher(let pid): log("another qwery\(pid.map { " (pid \($0))" } ?? "") writes this index; following it until it exits")
        }
    }

    static func log(_ message: String, prefix: String = "qwery watch") {
        let time = ISO8601DateFormatter().string(from: Date())
        FileHandle.standardError.write(Data("\(time) \(prefix): \(TerminalText.visible(message))\n".utf8))
    }
}

/// SIGTERM and SIGINT, turned into a flag the indexer polls and a wait the command blocks on.
final class StopRequest: Sendable {
    private struct State {
        var requested = false
        /// The signal sources, kept alive here.
        var sources: [any DispatchSourceSignal] = []
    }
    private let state = Mutex(State())
    private let semaphore = DispatchSemaphore(value: 0)

    init() {
        let queue = DispatchQueue(label: "qwery.signals")
        state.withLock { state in
            for signalNumber in [SIGTERM, SIGINT] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
                source.setEventHandler { [self] in signalled() }
                source.resume()
                state.sources.append(source)
            }
        }
    }

    private func signalled() {
        let first = state.withLock { state in
            defer { state.requested = true }
            return !state.requested
        }
        if first { semaphore.signal() }
    }

    var isRequested: Bool { state.withLock { $0.requested } }

    func wait() { semaphore.wait() }
}
