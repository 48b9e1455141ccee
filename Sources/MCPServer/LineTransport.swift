import Foundation
import Logging
import MCP
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// JSON-RPC over stdio, one message a line, in front of the SDK's server. Replaces the SDK's
/// `StdioTransport`, which (0.12.1) re-scanned its whole buffer for a newline after every 4 KiB read
/// (a 5 MB line took a minute), finished at end of input while requests were still being answered (a
/// piped `initialize` + `tools/call` got only the first answer), and let malformed messages through
/// to answers with random ids. Here:
/// - lines are split in one pass over each read, and a line over `maximumMessageBytes` is answered with
///   an error and skipped, never held whole;
/// - what JSON-RPC 2.0 and MCP refuse is answered here, with `id: null` where the id cannot be known:
///   unparseable JSON (-32700), batches (MCP 2025-06-18 has none), ids that are not a string or an
///   integer, and a non-object `arguments` (-32602); requests other than `initialize` and `ping` before
///   `initialize` get -32002;
/// - at end of input the stream to the server stays open until every request read has been answered;
/// - at most `maximumRequestsInFlight` requests are with the server at once: the reader stops reading until one
///   is answered, so a client that pipelines thousands of calls and reads slowly fills its own pipe, not our
///   memory (1,000 pipelined `get`s of a 220 KB file took the server to ~1 GB before).
package actor LineTransport: Transport {
    package nonisolated let logger = Logger(label: "qwery.mcp.transport", factory: { _ in SwiftLogNoOpLogHandler() })
    package static let defaultMaximumMessageBytes = 4 << 20
    /// Enough to keep both cores busy with an agent's parallel calls; each holds at most one 256 KiB answer.
    package static let defaultMaximumRequestsInFlight = 16

    nonisolated let state: LineTransportState
    private let messages: AsyncThrowingStream<Data, any Error>

    package init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO, maximumMessageBytes: Int = defaultMaximumMessageBytes,
                maximumRequestsInFlight: Int = defaultMaximumRequestsInFlight) {
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        messages = stream
        state = LineTransportState(input: input, output: output, maximumMessageBytes: maximumMessageBytes,
                                   maximumRequestsInFlight: maximumRequestsInFlight, continuation: continuation)
    }

    package func connect() async throws {
        let state = state
        let reader = Thread { state.readUntilEndOfInput() }
        reader.name = "qwery mcp stdin"
        reader.start()
    }

    package func disconnect() async {
        state.finish()
    }

    package func send(_ data: Data) async throws {
        try state.send(data)
    }

    package func receive() -> AsyncThrowingStream<Data, any Error> {
        messages
    }
}

/// The transport's state, shared by the reader thread and the server's sends.
final class LineTransportState: Sendable {
    private let input: Int32
    private let output: Int32
    private let maximumMessageBytes: Int
    private let maximumRequestsInFlight: Int
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation

    private struct Progress {
        var initialized = false
        var endOfInput = false
        var finished = false
        /// Requests forwarded and not yet answered, by their id's JSON text, with how many carry that id (a client
        /// may reuse one: each request still gets its answer).
        var unanswered: [String: Int] = [:]
        var inFlight = 0
        /// How often the reader stopped to wait for an answer before forwarding more (tests wait on it, not on time).
        var readerWaits = 0

        mutating func answered(_ key: String) -> Bool {
            guard let count = unanswered[key] else { return false }
            unanswered[key] = count > 1 ? count - 1 : nil
            inFlight -= 1
            return true
        }
    }
    // `progressState` is guarded by `condition` (the reader blocks on it while too many requests are out).
    private let condition = NSCondition()
    private nonisolated(unsafe) var progressState = Progress()
    private let writing = Mutex(())

    init(input: Int32, output: Int32, maximumMessageBytes: Int, maximumRequestsInFlight: Int,
         continuation: AsyncThrowingStream<Data, any Error>.Continuation) {
        self.input = input
        self.output = output
        self.maximumMessageBytes = maximumMessageBytes
        self.maximumRequestsInFlight = max(1, maximumRequestsInFlight)
        self.continuation = continuation
    }

    /// Runs `body` on the shared progress under the condition's lock, waking a waiting reader afterwards.
    private func withProgress<T>(_ body: (inout Progress) -> T) -> T {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        return body(&progressState)
    }

    /// Requests forwarded and not yet answered.
    var requestsInFlight: Int { withProgress { $0.inFlight } }

    /// Blocks until the reader has stopped `times` times to wait for an answer (tests).
    func waitUntilReaderWaited(times: Int) {
        condition.lock()
        while progressState.readerWaits < times { condition.wait() }
        condition.unlock()
    }

    // MARK: - Reading

    /// Reads lines until end of input (blocking reads on the reader's own thread), then finishes the stream
    /// once every request read so far has its answer.
    func readUntilEndOfInput() {
        var pending: [UInt8] = []
        var discarding = false  // inside a line that went over the limit
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            var start = 0
            for index in 0..<count where buffer[index] == 0x0A {
                if discarding {
                    discarding = false
                } else {
                    pending += buffer[start..<index]
                    accept(pending)
                }
                pending.removeAll(keepingCapacity: true)
                start = index + 1
            }
            if !discarding {
                pending += buffer[start..<count]
                if pending.count > maximumMessageBytes {
                    reply(error: -32600, "Invalid Request: a message is limited to \(maximumMessageBytes) bytes; this one is longer", id: nil)
                    pending.removeAll()
                    discarding = true
                }
            }
        }
        if !discarding && !pending.isEmpty { accept(pending) }
        let done = withProgress { state in
            state.endOfInput = true
            return state.unanswered.isEmpty
        }
        if done { finish() }
    }

    /// Checks one line and forwards it to the server, or answers it here.
    private func accept(_ line: [UInt8]) {
        let trimmed = line.last == 0x0D ? Array(line.dropLast()) : line
        if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        let data = Data(trimmed)
        guard let message = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return reply(error: -32700, "Parse error: the line is not valid JSON", id: nil)
        }
        if message is [Any] {
            return reply(error: -32600, "Invalid Request: batches are not part of MCP (2025-06-18); send one message a line", id: nil)
        }
        guard let object = message as? [String: Any] else {
            return reply(error: -32600, "Invalid Request: a message must be a JSON object", id: nil)
        }
        let idKey: String?
        switch Self.idKey(object["id"]) {
        case .valid(let key): idKey = key
        case .absent: idKey = nil
        case .invalid: return reply(error: -32600, "Invalid Request: id must be a string or an integer", id: nil)
        }
        guard object["jsonrpc"] as? String == "2.0" else {
            return reply(error: -32600, "Invalid Request: jsonrpc must be \"2.0\"", id: idKey)
        }
        guard let method = object["method"] else {
            // A response to the server carries a result or an error; anything else is no request at all.
            guard object["result"] != nil || object["error"] != nil else {
                return reply(error: -32600, "Invalid Request: a request needs a \"method\" (a response, a \"result\" or an \"error\")", id: idKey)
            }
            continuation.yield(data)  // a response to the server: the SDK routes it
            return
        }
        guard let name = method as? String else {
            return reply(error: -32600, "Invalid Request: method must be a string", id: idKey)
        }
        if idKey == nil, name == "notifications/cancelled", let parameters = object["params"] as? [String: Any],
           case .valid(let cancelled) = Self.idKey(parameters["requestId"]) {
            // A cancelled request gets no answer: stop waiting for it at end of input.
            let done = withProgress { state in
                _ = state.answered(cancelled)
                return state.endOfInput && state.unanswered.isEmpty
            }
            continuation.yield(data)
            if done { finish() }
            return
        }
        if let idKey {
            if name == "tools/call", let parameters = object["params"] as? [String: Any],
               let arguments = parameters["arguments"], !(arguments is [String: Any]) {
                return reply(error: -32602, "Invalid params: arguments must be an object", id: idKey)
            }
            let refused = withProgress { state -> Bool in
                if name == "initialize" { state.initialized = true }
                guard state.initialized || name == "ping" else { return true }
                return false
            }
            if refused {
                return reply(error: -32002, "Server not initialized: send initialize first", id: idKey)
            }
            waitForRoom(idKey)
        }
        continuation.yield(data)
    }

    /// Blocks the reader while `maximumRequestsInFlight` requests are unanswered, then counts this one.
    private func waitForRoom(_ idKey: String) {
        condition.lock()
        if progressState.inFlight >= maximumRequestsInFlight {
            progressState.readerWaits += 1
            condition.broadcast()
            while progressState.inFlight >= maximumRequestsInFlight { condition.wait() }
        }
        progressState.inFlight += 1
        progressState.unanswered[idKey, default: 0] += 1
        condition.unlock()
    }

    private enum IdCheck {
        case valid(String)
        case absent
        case invalid
    }

    /// The id as JSON text (`7`, `"abc"`), the key under which its answer is awaited.
    private static func idKey(_ id: Any?) -> IdCheck {
        guard let id, !(id is NSNull) else { return id == nil ? .absent : .invalid }
        if let text = id as? String {
            guard let encoded = try? JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed]) else { return .invalid }
            return .valid(String(decoding: encoded, as: UTF8.self))
        }
        // Foundation gives booleans as NSNumbers of type "c"; `true` is no id.
        if let number = id as? NSNumber, String(cString: number.objCType) != "c",
           let integer = Int(exactly: number.doubleValue),
           Double(integer) == number.doubleValue {
            return .valid(String(integer))
        }
        return .invalid
    }

    // MARK: - Writing

    /// Writes the server's message; an answer to a request read before end of input may be the last one owed.
    func send(_ data: Data) throws {
        try write(data)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], object["method"] == nil,
              case .valid(let key) = Self.idKey(object["id"]) else { return }
        let done = withProgress { state in
            _ = state.answered(key)
            return state.endOfInput && state.unanswered.isEmpty
        }
        if done { finish() }
    }

    private func reply(error code: Int, _ message: String, id: String?) {
        let text = "{\"jsonrpc\":\"2.0\",\"id\":\(id ?? "null"),\"error\":{\"code\":\(code),\"message\":\(Self.jsonString(message))}}"
        try? write(Data(text.utf8))
    }

    private static func jsonString(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed])) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private func write(_ data: Data) throws {
        var bytes = [UInt8](data)
        bytes.append(0x0A)
        try writing.withLock { _ in
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Glibc.write(output, $0.baseAddress, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw MCPError.transportError(POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO))
                }
                offset += written
            }
        }
    }

    func finish() {
        let first = withProgress { state -> Bool in
            defer { state.finished = true }
            return !state.finished
        }
        if first { continuation.finish() }
    }
}
