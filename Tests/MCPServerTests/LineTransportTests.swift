import Foundation
import Testing
@testable import MCPServer
#if canImport(Glibc)
import Glibc
#endif

/// The stdio transport on its own: how many requests it lets reach the server, and every answer owed.
@Suite("Line transport")
struct LineTransportTests {
    static let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}"#

    static func ping(_ id: Int) -> String { #"{"jsonrpc":"2.0","id":\#(id),"method":"ping"}"# }

    @Test("Given 30 pipelined requests and a server that has answered none, when read, then only the bound reaches the server until an answer frees a place")
    func requestsInFlightAreBounded() async throws {
        var input: [Int32] = [0, 0]
        #expect(pipe(&input) == 0)
        let output = open("/dev/null", O_WRONLY)
        defer { close(output); close(input[1]) }
        let transport = LineTransport(input: input[0], output: output, maximumRequestsInFlight: 4)
        try await transport.connect()
        let lines = ([Self.initialize] + (2...30).map(Self.ping)).joined(separator: "\n") + "\n"
        #expect(lines.utf8.withContiguousStorageIfAvailable { write(input[1], $0.baseAddress, $0.count) } == lines.utf8.count)

        transport.state.waitUntilReaderWaited(times: 1)
        #expect(transport.state.requestsInFlight == 4)
        var messages = await transport.receive().makeAsyncIterator()
        for _ in 0..<4 { _ = try await messages.next() }
        // One answer lets exactly one more request through before the reader stops again.
        try await transport.send(Data(#"{"jsonrpc":"2.0","id":1,"result":{}}"#.utf8))
        transport.state.waitUntilReaderWaited(times: 2)
        #expect(transport.state.requestsInFlight == 4)
        let fifth = try await messages.next().map { String(decoding: $0, as: UTF8.self) }
        #expect(fifth?.contains("\"id\":5") == true, "\(fifth ?? "nil")")
    }
}
