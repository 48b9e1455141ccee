import CProcess
import Foundation
import Search
import Store
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The warm path (`qwery watch` runs one): a Unix-domain socket, one per index (`ServerAddress`), on which `qwery
/// search` and `qwery status` ask this process — its models mapped once, its vectors in memory — instead of
/// loading their own. Newline-delimited JSON (`ServerRequest` → `ServerResponse`).
///
/// Guarded like any door: the socket is 0600 in a 0700 folder and a connection from another user id is closed
/// unread (`SO_PEERCRED`); a request is at most 1 MiB and a connection idle for 30 s is closed; at most
/// `maximumClients` connections are served at once (the next is told so and closed); a client that vanishes or
/// stops reading costs only its own connection's thread. A stale socket (a server killed with SIGKILL) is
/// replaced; a live one of another process is left alone.
package final class QueryServer: Sendable {
    package let socketPath: String
    /// False under socket activation: systemd made the socket file and keeps it between runs.
    private let ownsSocketFile: Bool
    private let library: Library
    private let started = Date()
    private let listener: Int32
    private struct State {
        var clients = 0
        var inFlight = 0
        var searches = 0
        var stopping = false
    }
    private let state = Mutex(State())
    package static let maximumClients = 64
    static let maximumRequestBytes = 1 << 20

    /// Why the server could not start.
    package struct StartError: Error, CustomStringConvertible {
        package let description: String
    }

    /// Listens at `socketPath` (default: this index's address), or on `inherited`, a listening socket systemd made
    /// (socket activation: systemd owns its file, so it is neither replaced nor removed here). Throws when another
    /// live server holds the path.
    package init(library: Library, socketPath: String? = nil, inherited: Int32? = nil) throws {
        self.library = library
        let path = socketPath ?? ServerAddress.socketPath(forIndex: library.database.path)
        if let inherited {
            var name = [CChar](repeating: 0, count: 110)
            guard qwery_unix_socket_path(inherited, &name, name.count) == 0 else {
                throw StartError(description: "the socket systemd passed (descriptor \(inherited)) is not a listening Unix-domain socket")
            }
            _ = fcntl(inherited, F_SETFD, FD_CLOEXEC)
            self.socketPath = String(cString: name)
            listener = inherited
            ownsSocketFile = false
            IndexWriterLock.announceServing(databasePath: library.indexPath, socket: self.socketPath)
            return
        }
        self.socketPath = path
        ownsSocketFile = true
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var descriptor = qwery_unix_listen(path)
        if descriptor < 0 && errno == EADDRINUSE {
            let probe = qwery_unix_connect(path, 1)
            if probe >= 0 {
                close(probe)
                throw StartError(description: "another qwery already serves this index at \(path)")
            }
            // Nobody answers: a server that died without cleaning up. Its socket file would block every later one.
            unlink(path)
            descriptor = qwery_unix_listen(path)
        }
        guard descriptor >= 0 else {
            throw StartError(description: "cannot listen at \(path): \(String(cString: strerror(errno)))")
        }
        listener = descriptor
        // Named in the index's writer lock too: a face whose environment names another runtime folder finds it there.
        IndexWriterLock.announceServing(databasePath: library.indexPath, socket: path)
    }

    /// Accepts connections on a thread of its own until `stop`.
    package func start() {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "qwery server"
        thread.start()
    }

    /// Stops accepting, lets requests under way finish (at most `drainSeconds`), and removes the socket.
    package func stop(drainSeconds: Double = 5) {
        let first = state.withLock { state -> Bool in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        if ownsSocketFile { unlink(socketPath) }
        IndexWriterLock.announceServing(databasePath: library.indexPath, socket: nil)
        let deadline = Date().addingTimeInterval(drainSeconds)
        while state.withLock({ $0.inFlight }) > 0, Date() < deadline { usleep(10_000) }
    }

    /// Connections open now.
    package var clientCount: Int { state.withLock { $0.clients } }

    private func acceptLoop() {
        while true {
            let connection = qwery_unix_accept(listener)
            if connection < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return  // the listener was closed: stopping
            }
            // Another user's process may not search this user's files, whatever the socket's mode allows.
            guard qwery_peer_uid(connection) == Int(getuid()) else {
                close(connection)
                continue
            }
            let admitted = state.withLock { state -> Bool in
                guard !state.stopping, state.clients < Self.maximumClients else { return false }
                state.clients += 1
                return true
            }
            guard admitted else {
                var refusal = ServerResponse(id: 0)
                refusal.error = "the qwery server is busy (\(Self.maximumClients) connections); searching in-process"
                if let data = try? JSONEncoder().encode(refusal) { _ = LineChannel(descriptor: connection).writeLine(data) }
                close(connection)
                continue
            }
            _ = qwery_socket_timeouts(connection, 30)
            let thread = Thread { [self] in
                serve(connection)
                close(connection)
                state.withLock { $0.clients -= 1 }
            }
            thread.name = "qwery server connection"
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        var channel = LineChannel(descriptor: connection)
        let decoder = JSONDecoder()
        let encoder = JSONEncoder()
        while let line = channel.readLine(limit: Self.maximumRequestBytes) {
            var response: ServerResponse
            if let request = try? decoder.decode(ServerRequest.self, from: Data(line)) {
                let admitted = state.withLock { state -> Bool in
                    guard !state.stopping else { return false }
                    state.inFlight += 1
                    return true
                }
                guard admitted else { return }
                if request.method == .stream {
                    let finished = stream(request, on: channel, connection: connection)
                    state.withLock { $0.inFlight -= 1 }
                    guard finished else { return }
                    continue
                }
                response = answer(request)
                state.withLock { $0.inFlight -= 1 }
            } else {
                response = ServerResponse(id: 0)
                response.error = "not a qwery server request"
            }
            guard let data = try? encoder.encode(response), channel.writeLine(data) else { return }
        }
    }

    /// A streamed search: one line per stage as the pipeline reports it (the screen shows each), ending with
    /// `done`; the client closing its end cancels it between stages and between layers of the models. False when
    /// the connection is finished with (the client left, or a line could not be written).
    private func stream(_ request: ServerRequest, on channel: LineChannel, connection: Int32) -> Bool {
        let encoder = JSONEncoder()
        func write(_ response: ServerResponse) -> Bool {
            guard let data = try? encoder.encode(response) else { return false }
            return channel.writeLine(data)
        }
        var refusal = ServerResponse(id: request.id)
        refusal.mismatch = mismatch(request)
        if refusal.mismatch == nil, request.search == nil { refusal.error = "a stream request needs search parameters" }
        guard refusal.mismatch == nil, refusal.error == nil, let parameters = request.search else { return write(refusal) }
        let hungUp: @Sendable () -> Bool = { qwery_peer_closed(connection) != 0 }
        var written = true
        do {
            if let problem = try library.dimensionProblem(parameters.dimensions) {
                refusal.error = problem
                return write(refusal)
            }
            try library.stream(parameters, isCancelled: hungUp) { update in
                var line = ServerResponse(id: request.id)
                line.update = ServerUpdate(update)
                if written { written = write(line) }
            }
            state.withLock { $0.searches += 1 }
        } catch {
            guard !hungUp() else { return false }
            refusal.error = "\(error)"
            return write(refusal)
        }
        return written && !hungUp()
    }

    /// Why this server cannot answer `request` as the client would itself (another index, other models), or nil.
    private func mismatch(_ request: ServerRequest) -> String? {
        let settings = library.settings
        if !Self.samePath(request.index, library.database.path) {
            return "this server serves the index \(library.database.path)"
        }
        if request.embeddingModel != settings.embeddingModel.value || request.reranker != settings.reranker.value {
            return "this server runs other models (\(settings.embeddingModel.value ?? "none"), \(settings.reranker.value ?? "none"))"
        }
        return nil
    }

    func answer(_ request: ServerRequest) -> ServerResponse {
        var response = ServerResponse(id: request.id)
        if request.method == .status && request.index.isEmpty {
            // "Who are you": the socket is this index's by its name; the models are the server's to say.
            response.info = info
            return response
        }
        response.mismatch = mismatch(request)
        guard response.mismatch == nil else { return response }
        switch request.method {
        case .status:
            response.info = info
        case .stream:
            response.error = "a stream is answered line by line"
        case .similar:
            guard let parameters = request.similar else {
                response.error = "a similar request needs its parameters"
                return response
            }
            do {
                // Stored vectors only, from the service the indexer feeds: nothing is embedded.
                response.results = try library.similar(parameters)
                state.withLock { $0.searches += 1 }
            } catch {
                response.error = "\(error)"
            }
        case .search:
            guard let parameters = request.search else {
                response.error = "a search request needs its parameters"
                return response
            }
            do {
                if let problem = try library.dimensionProblem(parameters.dimensions) {
                    response.error = problem
                    return response
                }
                response.results = try library.search(parameters)
                state.withLock { $0.searches += 1 }
                let coverage = try library.coverage()
                response.coverage = CoverageRecord(vectors: coverage.vectors, chunks: coverage.chunks)
                response.notes = try library.searchNotes(rerank: parameters.rerank)
            } catch {
                response.error = "\(error)"
            }
        }
        return response
    }

    private var info: ServerInfo {
        ServerInfo(pid: getpid(), uptimeSeconds: Date().timeIntervalSince(started), clients: clientCount,
                   searches: state.withLock { $0.searches }, index: library.database.path,
                   embeddingModel: library.settings.embeddingModel.value, reranker: library.settings.reranker.value, socket: socketPath,
                   semanticSearch: library.loadedSearchHasSemantic, rerankPolicy: library.rerankPolicy)
    }

    private static func samePath(_ a: String, _ b: String) -> Bool {
        func real(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
        return real(a) == real(b)
    }
}
