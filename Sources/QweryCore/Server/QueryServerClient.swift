import CProcess
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A face's side of `QueryServer`: ask the running server of this index, and learn nothing (nil) whenever it
/// cannot answer as the face would itself — no server, a stale socket, a server of another index or models, a
/// server that dies mid-request, an error there. The face then searches in-process, so the output is the same
/// either way, only slower.
public struct QueryServerClient: Sendable {
    public let socketPath: String
    /// How long a request may take before the face gives up on the server (a reranked search on a busy CPU).
    public var timeoutSeconds: Int32 = 60

    public init(socketPath: String) {
        self.socketPath = socketPath
    }

    /// The client of `library`'s index.
    public init(library: Library) {
        self.init(socketPath: ServerAddress.socketPath(forIndex: library.database.path))
    }

    /// The server's answer to `request`, or nil: search in-process.
    public func send(_ request: ServerRequest) -> ServerResponse? {
        guard let response = exchange(request, timeoutSeconds: timeoutSeconds, limit: 256 << 20),
              response.id == request.id, response.mismatch == nil, response.error == nil else { return nil }
        return response
    }

    /// Who serves `library`'s index, whatever models it runs (nil: nobody answers).
    public func info() -> ServerInfo? {
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

    /// A request for `library`'s index and models.
    public static func request(_ method: ServerRequest.Method, library: Library, search: SearchParameters? = nil,
                               similar: SimilarParameters? = nil) -> ServerRequest {
        ServerRequest(id: Int(getpid()), method: method, index: library.database.path, embeddingModel: library.settings.embeddingModel.value,
                      reranker: library.settings.reranker.value, search: search, similar: similar)
    }
}
