import Checksums
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A Hugging Face hub look-alike on 127.0.0.1 serving one checkpoint folder in the hub's URL layout:
/// `/api/models/{repo}/tree/main` lists it (LFS metadata for .safetensors), `/{repo}/resolve/main/{file}`
/// serves files, weights through a redirect to another host name (`localhost/lfs/{file}`) as the real hub does. Ranges are honoured.
/// Faults can be arranged: a connection dropped (or left hanging) after some bytes, a wrong checksum.
public final class HubFixtureServer: @unchecked Sendable {
    /// A request as the server saw it.
    public struct Request: Sendable {
        public let path: String
        public let range: String?
        public let authorization: String?
    }

    public let repository: String
    public private(set) var port: UInt16 = 0
    private let files: [String: Data]
    private let listener: Int32
    private let lock = NSLock()
    private var log: [Request] = []
    private var dropAfter: [String: Int] = [:]
    private var hangAfter: [String: Int] = [:]
    private var wrongChecksum: Set<String> = []

    public init(repository: String, folder: String) throws {
        self.repository = repository
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name != "expected.json" {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name).resolvingSymlinksInPath())
        }
        self.files = files
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 16) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    public var endpoint: String { "http://127.0.0.1:\(port)" }
    public var requests: [Request] { lock.withLock { log } }

    /// The next answer for `file` stops after `bytes` and closes the connection.
    public func dropConnection(of file: String, after bytes: Int) { lock.withLock { dropAfter[file] = bytes } }
    /// The next answer for `file` stops after `bytes` and then sends nothing more (the client must be killed).
    public func hang(_ file: String, after bytes: Int) { lock.withLock { hangAfter[file] = bytes } }
    /// The listing gives `file` a SHA-256 that its content does not have.
    public func advertiseWrongChecksum(for file: String) { lock.withLock { _ = wrongChecksum.insert(file) } }

    // MARK: - Serving

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            Thread.detachNewThread { [self] in
                serve(connection)
                close(connection)
            }
        }
    }

    private func serve(_ connection: Int32) {
        var head = Data()
        var byte: UInt8 = 0
        while !head.suffix(4).elementsEqual("\r\n\r\n".utf8), recv(connection, &byte, 1, 0) == 1 { head.append(byte) }
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count >= 2 else { return }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let path = String(parts[1])
        lock.withLock { log.append(Request(path: path, range: headers["range"], authorization: headers["authorization"])) }

        if path == "/api/models/\(repository)/tree/main" {
            return respond(connection, status: "200 OK", body: listing(), contentType: "application/json")
        }
        let resolvePrefix = "/\(repository)/resolve/main/"
        if path.hasPrefix(resolvePrefix) {
            let name = String(path.dropFirst(resolvePrefix.count))
            if name.hasSuffix(".safetensors") {
                // Like the hub: weights live on another host (here "localhost" for 127.0.0.1).
                return respond(connection, status: "302 Found", body: Data(), extraHeaders: ["Location: http://localhost:\(port)/lfs/\(name)"])
            }
            return serveFile(connection, name: name, range: headers["range"])
        }
        if path.hasPrefix("/lfs/") {
            return serveFile(connection, name: String(path.dropFirst(5)), range: headers["range"])
        }
        respond(connection, status: "404 Not Found", body: Data("Entry not found".utf8))
    }

    private func serveFile(_ connection: Int32, name: String, range: String?) {
        guard let content = files[name] else {
            return respond(connection, status: "404 Not Found", body: Data("Entry not found".utf8))
        }
        var start = 0
        if let range, range.hasPrefix("bytes="), let value = Int(range.dropFirst(6).prefix { $0 != "-" }) {
            start = value
        }
        guard start < content.count else {
            return respond(connection, status: "416 Range Not Satisfiable", body: Data())
        }
        let body = content.subdata(in: start..<content.count)
        let status = start > 0 ? "206 Partial Content" : "200 OK"
        let extra = start > 0 ? ["Content-Range: bytes \(start)-\(content.count - 1)/\(content.count)"] : []
        let (drop, hangAt) = lock.withLock { (dropAfter.removeValue(forKey: name), hangAfter.removeValue(forKey: name)) }
        if let cut = drop ?? hangAt {
            respond(connection, status: status, body: body.prefix(cut), declaredLength: body.count, extraHeaders: extra)
            if hangAt != nil { sleep(600) }
            return
        }
        respond(connection, status: status, body: body, extraHeaders: extra)
    }

    private func listing() -> Data {
        let wrong = lock.withLock { wrongChecksum }
        let entries: [[String: Any]] = files.keys.sorted().map { name in
            let content = files[name] ?? Data()
            var entry: [String: Any] = ["type": "file", "path": name, "size": content.count, "oid": "0123456789abcdef"]
            if name.hasSuffix(".safetensors") {
                let digest = wrong.contains(name) ? String(repeating: "0", count: 64) : SHA256.hash(content).hexString
                entry["lfs"] = ["oid": digest, "size": content.count, "pointerSize": 134]
            }
            return entry
        } + [["type": "directory", "path": "1_Pooling", "size": 0, "oid": "fedcba"]]
        return (try? JSONSerialization.data(withJSONObject: entries)) ?? Data()
    }

    private func respond(_ connection: Int32, status: String, body: Data, declaredLength: Int? = nil,
                         contentType: String = "application/octet-stream", extraHeaders: [String] = []) {
        let head = (["HTTP/1.1 \(status)", "Content-Length: \(declaredLength ?? body.count)", "Content-Type: \(contentType)",
                     "Connection: close"] + extraHeaders).joined(separator: "\r\n") + "\r\n\r\n"
        var bytes = Data(head.utf8)
        bytes.append(body)
        bytes.withUnsafeBytes { buffer in
            var sent = 0
            while sent < buffer.count {
                let count = send(connection, buffer.baseAddress.map { $0 + sent }, buffer.count - sent, Int32(MSG_NOSIGNAL))
                if count <= 0 { return }
                sent += count
            }
        }
    }
}
