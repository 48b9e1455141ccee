import CProcess
import Foundation
import Search
import Store
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A face's side of `QueryServer`: ask the running server of this index, and learn nothing (nil) whenever it
/// cannot answer as the face would itself — no server, a stale socket, a server of another index or models, a
/// server that dies mid-request, an error there. The face then searches in-process, so the output is the same
/// either way, only slower.
package struct QueryServerClient: Sendable {
    package let socketPath: String
    /// How long a request may take before the face gives up on the server (a reranked search on a busy CPU).
    package var timeoutSeconds: Int32 = 60

    package init(socketPath: String) {
        self.socketPath = socketPath
    }

    /// The client of `library`'s index: the socket its writer names in the index's lock file, else the one its path
    /// names (`ServerAddress`) — the same unless the server's environment named another runtime folder.
    package init(library: Library) {
        let named = IndexWriterLock.currentHolder(databasePath: library.indexPath)?.socket
        self.init(socketPath: named.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
                  ?? ServerAddress.socketPath(forIndex: library.indexPath))
    }

    /// The server's answer to `request`, or nil: search in-process.
    package func send(_ request: ServerRequest) -> ServerResponse? {
        guard let response = exchange(request, timeoutSeconds: timeoutSeconds, limit: 256 << 20),
              response.id == request.id, response.mismatch == nil, response.error == nil else { return nil }
        return response
    }

    /// Who serves `library`'s index, whatever models it runs (nil: nobody answers).
    package func info() -> ServerInfo? {
        // The server checks the index only for a status request with no models named; it says its own.
        let request = ServerRequest(id: Int(getpid()), method: .status, index: "", embeddingModel: nil, reranker: nil)
        return exchange(request, timeoutSeconds: 5, limit: 1 << 20)?.info
    }

    /// One request line out, one answer line back; nil when there is no socket or the exchange fails in any way.
    private func exchange(_ request: ServerRequest, timeoutSeconds: Int32, limit: Int) -> ServerResponse? {
        guard FileManager.default.fileExists(atPath: socketPath) else { return nil }
        let descriptor = qwery_unix_connect(socketPath, timeoutSeconds)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var channel = LineChannel(descriptor: descriptor)
        guard let body = try? JSONEncoder().encode(request), channel.writeLine(body), let line = channel.readLine(limit: limit) else { return nil }
        return try? JSONDecoder().decode(ServerResponse.self, from: Data(line))
    }

    /// How a streamed search ended.
    package enum StreamEnd: Sendable, Equatable {
        /// Every stage arrived, `done` last.
        case done
        /// `connection.cancel()` was called (a newer query): nothing more is reported.
        case cancelled
        /// No server, another index or models, an error there, or the server went away mid-search: search in-process.
        case failed(String)
    }

    /// A streamed search (`request.method == .stream`): each stage to `update` as the server reports it, until
    /// `done`. Blocks; another thread ends it early with `connection.cancel()`, which closes the socket (the
    /// server stops between stages and between layers of the models).
    package func stream(_ request: ServerRequest, connection: StreamConnection, update: (SearchUpdate) -> Void) -> StreamEnd {
        guard FileManager.default.fileExists(atPath: socketPath) else { return .failed("no server") }
        let descriptor = qwery_unix_connect(socketPath, timeoutSeconds)
        guard descriptor >= 0 else { return .failed("the server does not answer") }
        guard connection.attach(descriptor) else { return .cancelled }
        defer { connection.detach() }
        var channel = LineChannel(descriptor: descriptor)
        guard let body = try? JSONEncoder().encode(request), channel.writeLine(body) else {
            return connection.isCancelled ? .cancelled : .failed("the server closed the connection")
        }
        let decoder = JSONDecoder()
        while let line = channel.readLine(limit: 256 << 20) {
            guard let response = try? decoder.decode(ServerResponse.self, from: Data(line)), response.id == request.id else {
                return .failed("the server answered something else")
            }
            if let mismatch = response.mismatch { return .failed(mismatch) }
            if let error = response.error { return .failed(error) }
            guard let stage = response.update?.searchUpdate else { return .failed("the server sent an empty update") }
            update(stage)
            if case .done = stage { return .done }
        }
        return connection.isCancelled ? .cancelled : .failed("the server stopped answering")
    }

    /// A request for `library`'s index and models.
    package static func request(_ method: ServerRequest.Method, library: Library, search: SearchParameters? = nil,
                               similar: SimilarParameters? = nil) -> ServerRequest {
        ServerRequest(id: Int(getpid()), method: method, index: library.indexPath, embeddingModel: library.settings.embeddingModel.value,
                      reranker: library.settings.reranker.value, search: search, similar: similar)
    }
}

/// The socket of one streamed search, so another thread can end it (`cancel`): the reading thread's next read
/// returns at once and the server sees the connection close.
package final class StreamConnection: Sendable {
    private struct State {
        var descriptor: Int32?
        var cancelled = false
    }
    private let state = Mutex(State())

    package init() {}

    package var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Ends the stream: no more updates are reported. Safe to call from any thread, any number of times.
    package func cancel() {
        state.withLock { state in
            state.cancelled = true
            if let descriptor = state.descriptor { shutdown(descriptor, Int32(SHUT_RDWR)) }
        }
    }

    /// Takes the socket (closed at `detach`); false, and the socket closed, when already cancelled.
    func attach(_ descriptor: Int32) -> Bool {
        let attached = state.withLock { state -> Bool in
            guard !state.cancelled else { return false }
            state.descriptor = descriptor
            return true
        }
        if !attached { close(descriptor) }
        return attached
    }

    func detach() {
        state.withLock { state in
            if let descriptor = state.descriptor { close(descriptor) }
            state.descriptor = nil
        }
    }
}
