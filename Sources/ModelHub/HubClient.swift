import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Talks to a Hugging Face hub (huggingface.co or a mirror) in its public URL layout:
/// `{endpoint}/api/models/{repo}/tree/{revision}` lists files, `{endpoint}/{repo}/resolve/{revision}/{file}`
/// serves them (LFS files through a redirect, which is followed).
package struct HubClient: Sendable {
    /// The hub's address: `--endpoint`, else `HF_ENDPOINT`, else https://huggingface.co.
    package let endpoint: URL
    /// Sent as `Authorization: Bearer` when set (`HF_TOKEN`).
    package let token: String?
    /// Seconds without a byte before a transfer counts as stalled.
    package var stallTimeout: TimeInterval = 30

    package init(endpoint: URL, token: String?) {
        self.endpoint = endpoint
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The endpoint and token a user has configured in the environment.
    /// The hub itself, when neither `--endpoint` nor `HF_ENDPOINT` names a mirror.
    package static let defaultEndpoint = "https://huggingface.co"

    package static func fromEnvironment(endpoint override: String? = nil) -> HubClient? {
        let environment = ProcessInfo.processInfo.environment
        let address = override ?? environment["HF_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultEndpoint
        guard let url = URL(string: address.hasSuffix("/") ? String(address.dropLast()) : address), url.scheme != nil else {
            return nil
        }
        return HubClient(endpoint: url, token: environment["HF_TOKEN"] ?? environment["HUGGING_FACE_HUB_TOKEN"])
    }

    /// The files at the top level of `repository` (e.g. `Qwen/Qwen3-Embedding-0.6B`) at `revision`.
    package func listFiles(repository: String, revision: String) throws -> [HubFile] {
        let url = endpoint.appendingPathComponent("api/models/\(repository)/tree/\(revision)")
        let outcome = HTTPExchange(request: request(url)).run(timeout: stallTimeout)
        if let error = outcome.error { throw unreachable(error) }
        switch outcome.status ?? 0 {
        case 200: break
        case 401, 403: throw HubError.unauthorized(repository: repository, tokenSent: token != nil)
        case 404: throw HubError.repositoryNotFound(repository: repository, revision: revision)
        case let status: throw HubError.httpStatus(url: url.absoluteString, status: status)
        }
        guard let entries = try? JSONSerialization.jsonObject(with: outcome.body) as? [[String: Any]] else {
            throw HubError.badListing(repository: repository, reason: "not a JSON array of files")
        }
        return entries.compactMap { entry in
            guard entry["type"] as? String == "file", let path = entry["path"] as? String else { return nil }
            let lfs = entry["lfs"] as? [String: Any]
            let size = (lfs?["size"] as? NSNumber ?? entry["size"] as? NSNumber)?.int64Value ?? -1
            return HubFile(path: path, size: size, sha256: (lfs?["oid"] as? String)?.lowercased())
        }
    }

    /// Where `file` of `repository` is served.
    func fileURL(repository: String, revision: String, path: String) -> URL {
        endpoint.appendingPathComponent("\(repository)/resolve/\(revision)/\(path)")
    }

    func request(_ url: URL) -> URLRequest {
        var request = URLRequest(url: url)
        request.setValue("qwery", forHTTPHeaderField: "User-Agent")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        return request
    }

    /// The error for a transfer that never reached the hub.
    func unreachable(_ error: URLError) -> HubError {
        HubError.unreachable(endpoint: endpoint.absoluteString, reason: Self.describe(error))
    }

    static func describe(_ error: URLError) -> String {
        switch error.code {
        case .notConnectedToInternet: return "no network"
        case .cannotFindHost, .dnsLookupFailed: return "host name not found"
        case .cannotConnectToHost: return "connection refused"
        case .timedOut: return "timed out"
        case .networkConnectionLost: return "connection dropped"
        case .secureConnectionFailed, .serverCertificateUntrusted: return "TLS failed"
        case .cannotWriteToFile: return "cannot write the file"
        case .badServerResponse, .cannotParseResponse: return "the server's answer was not valid HTTP"
        case .resourceUnavailable, .zeroByteResource: return "the server sent nothing"
        case .unknown: return "the connection failed without a reason from the network library"
        default: return "the connection failed (URL error \(error.code.rawValue))"
        }
    }
}
