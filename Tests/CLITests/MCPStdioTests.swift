import Foundation
import Testing

/// `qwery mcp` over real stdio, as agents pipe into it (issue #25): everything read before end of input is
/// answered, long lines are read in one pass and capped, and what JSON-RPC refuses gets its proper error.
@Suite("MCP over stdio", .serialized)
struct MCPStdioTests {
    static let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}"#
    static let initialized = #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#

    /// A small lexical index and `qwery mcp --no-watch` over it, fed `lines` and run to its end.
    static func serve(_ lines: [String], scratch: HostileCommandTests.Scratch) throws -> (status: Int32, answers: [[String: Any]]) {
        let database = scratch.root + "/index.sqlite"
        if !FileManager.default.fileExists(atPath: database) {
            try scratch.write("notes/walnut.md", "The walnut tree by the gate.\n")
            try scratch.write("notes/big.txt", String(repeating: "0123456789 abcdefghij\n", count: 40_000))
            #expect(try scratch.qwery(["index", scratch.root + "/notes", "--db", database]).status == 0)
        }
        let result = try QweryProcess.run(["mcp", "--no-watch", "--db", database], input: lines.joined(separator: "\n") + "\n",
                                          environment: scratch.environment)
        let answers = result.standardOutput.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        return (result.status, answers)
    }

    static func answer(_ answers: [[String: Any]], id: Int) -> [String: Any]? {
        answers.first { ($0["id"] as? Int) == id }
    }

    static func toolText(_ answer: [String: Any]?) -> String {
        let result = answer?["result"] as? [String: Any]
        let content = result?["content"] as? [[String: Any]]
        return content?.first?["text"] as? String ?? ""
    }

    @Test("Given initialize, initialized and a tools/call piped in before end of input, when served, then both requests are answered, every run")
    func answersBeforeEndOfInput() throws {
        let scratch = try HostileCommandTests.Scratch()
        let call = #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"status","arguments":{}}}"#
        for run in 0..<8 {
            let (status, answers) = try Self.serve([Self.initialize, Self.initialized, call], scratch: scratch)
            #expect(status == 0)
            #expect(Self.answer(answers, id: 1)?["result"] != nil, "run \(run)")
            #expect(Self.toolText(Self.answer(answers, id: 2)).contains("\"files\":2"), "run \(run): \(answers)")
        }
    }

    @Test("Given malformed messages, when served, then each gets JSON-RPC's error code, with id null where the id cannot be known")
    func conformance() throws {
        let scratch = try HostileCommandTests.Scratch()
        let (_, answers) = try Self.serve([
            #"{"jsonrpc":"2.0","id":7,"method":"tools/list"}"#,
            Self.initialize, Self.initialized,
            "not json at all",
            #"{"jsonrpc":"2.0","id":{"nested":1},"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"status","arguments":[1,2]}}"#,
            #"{"jsonrpc":"2.0","id":4,"method":"ping"}"#,
            #"{"jsonrpc":"2.0","id":11}"#,
            #"{"jsonrpc":"2.0","id":12,"method":"tools/call","params":{"name":"search","arguments":{"query":"budget","dimensions":7}}}"#,
        ], scratch: scratch)
        func code(_ answer: [String: Any]?) -> Int? { (answer?["error"] as? [String: Any])?["code"] as? Int }
        #expect(code(Self.answer(answers, id: 11)) == -32600, "neither a request (no method) nor a response (no result or error)")
        #expect(Self.toolText(Self.answer(answers, id: 12)).contains("\"dimensions\" must be a whole number from 32"), "\(answers)")
        #expect(code(Self.answer(answers, id: 7)) == -32002, "a request before initialize")
        let nullIds = answers.filter { $0["id"] is NSNull }.compactMap(code)
        #expect(nullIds.sorted() == [-32700, -32600], "\(answers)")
        #expect(code(Self.answer(answers, id: 3)) == -32602)
        #expect(Self.answer(answers, id: 4)?["result"] != nil)
    }

    @Test("Given a 5 MB line and then a ping, when served, then the long line is refused as too long and the ping is answered")
    func longLineIsCapped() throws {
        let scratch = try HostileCommandTests.Scratch()
        let padded = #"{"jsonrpc":"2.0","id":2,"method":"ping","params":{"pad":""# + String(repeating: "x", count: 5_000_000) + #""}}"#
        let (_, answers) = try Self.serve([Self.initialize, padded, #"{"jsonrpc":"2.0","id":3,"method":"ping"}"#], scratch: scratch)
        let refused = answers.first { $0["id"] is NSNull }
        #expect(((refused?["error"] as? [String: Any])?["message"] as? String)?.contains("limited to 4194304 bytes") == true, "\(answers)")
        #expect(Self.answer(answers, id: 3)?["result"] != nil)
    }

    @Test("Given a NUL in a query, a folder to get and a file over 256 KiB, when called, then results, a clear refusal and a page with next_line")
    func toolEdges() throws {
        let scratch = try HostileCommandTests.Scratch()
        let (_, answers) = try Self.serve([
            Self.initialize, Self.initialized,
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"search","arguments":{"query":"wal\u0000nut walnut","rerank":false}}}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get","arguments":{"path":"\#(scratch.root)/notes"}}}"#,
            #"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"get","arguments":{"path":"big.txt"}}}"#,
        ], scratch: scratch)
        #expect(Self.toolText(Self.answer(answers, id: 2)).contains("walnut.md"), "\(answers)")
        #expect(Self.toolText(Self.answer(answers, id: 3)).contains("a folder, not a file"), "\(answers)")
        let page = try #require(try JSONSerialization.jsonObject(with: Data(Self.toolText(Self.answer(answers, id: 4)).utf8)) as? [String: Any])
        #expect((page["text"] as? String)?.utf8.count ?? 0 <= 256 * 1024)
        #expect(page["end_line"] as? Int == 11915, "256 KiB of 22-byte lines")
        #expect(page["next_line"] as? Int == 11916)
    }
}

extension MCPStdioTests {
    @Test("Given two requests with one id just before end of input, when served, then both are answered")
    func reusedIdGetsEveryAnswer() throws {
        let scratch = try HostileCommandTests.Scratch()
        let (status, answers) = try Self.serve([Self.initialize, Self.initialized, #"{"jsonrpc":"2.0","id":5,"method":"ping"}"#,
                                                #"{"jsonrpc":"2.0","id":5,"method":"ping"}"#], scratch: scratch)
        #expect(status == 0)
        #expect(answers.filter { ($0["id"] as? Int) == 5 }.count == 2, "\(answers)")
    }
}
