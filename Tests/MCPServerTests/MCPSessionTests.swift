import Foundation
import MCP
import Testing
import Engine
import Indexing
import Search
import Store
import QweryCore
@testable import MCPServer
import TestSupport

/// A whole MCP session in process (issue #15): initialize, tools/list, every tool, and the refusals of
/// `get` for an absolute path outside, a `..` escape, a link out of the root and a FIFO.
@Suite("MCP session", .serialized)
struct MCPSessionTests {
    static let fixtures = Repository.fixtures

    /// A folder of three notes indexed with the tiny embedding model, a file outside it, and a link out.
    final class Fixture {
        let base: String
        let root: String
        let context: ToolContext

        init() throws {
            base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("qwery-mcp-\(UUID().uuidString)")
                .resolvingSymlinksInPath().path
            root = base + "/notes"
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try "# Budget\n\nThe budget for March is tight; travel is cut.\n".write(toFile: root + "/budget.md", atomically: true, encoding: .utf8)
            try "# Bread\n\nFeed the sourdough starter twice a day.\nBake at 250 degrees.\n".write(toFile: root + "/bread.md", atomically: true, encoding: .utf8)
            try "# Trip\n\nTrain to Porto, then Madrid.\n".write(toFile: root + "/trip.md", atomically: true, encoding: .utf8)
            try "top secret".write(toFile: base + "/secret.txt", atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: root + "/escape.md", withDestinationPath: base + "/secret.txt")
            #expect(mkfifo(root + "/pipe.md", 0o644) == 0)
            #expect(mkfifo(root + "/pipe.pdf", 0o644) == 0)
            let model = MCPSessionTests.fixtures + "/models/tiny-embedding"
            let settings = try Settings.resolve(.init(index: base + "/index.sqlite", model: model, precision: .exact),
                                                environment: [:], config: ConfigFile(), discover: { _ in nil })
            let library = try Library(settings: settings)
            _ = try library.index(roots: [root]) { _ in }
            context = ToolContext(library: library, roots: [root])
        }

        deinit { try? FileManager.default.removeItem(atPath: base) }
    }

    /// A connected client and the server behind it.
    static func connect(_ fixture: Fixture) async throws -> (Client, Server) {
        let server = await QweryServer.make(tools: QweryTools(context: fixture.context), version: "test")
        let (clientTransport, serverTransport) = await InMemoryTransport.createConnectedPair()
        try await server.start(transport: serverTransport)
        let client = Client(name: "qwery-tests", version: "1.0")
        _ = try await client.connect(transport: clientTransport)
        return (client, server)
    }

    static func text(_ content: [Tool.Content]) -> String {
        content.compactMap { if case .text(let text, _, _) = $0 { return text } else { return nil } }.joined()
    }

    static func json(_ content: [Tool.Content]) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text(content).utf8)) as? [String: Any])
    }

    @Test("Given a session, when listing tools and calling search, similar and status, then each answers with its structured JSON")
    func toolsAnswer() async throws {
        let fixture = try Fixture()
        let (client, server) = try await Self.connect(fixture)
        defer { Task { await server.stop() } }

        let (tools, _) = try await client.listTools()
        #expect(tools.map(\.name) == ["search", "get", "similar", "status"])

        let (searched, searchError) = try await client.callTool(name: "search", arguments: ["query": "sourdough starter", "limit": 2])
        #expect(searchError != true, "\(Self.text(searched))")
        let search = try Self.json(searched)
        let results = try #require(search["results"] as? [[String: Any]])
        #expect(results.count == 2)
        #expect(results.first?["path"] as? String == fixture.root + "/bread.md")
        #expect(results.first?["start_line"] as? Int == 1)
        #expect((search["coverage"] as? [String: Any])?["vectors"] as? Int == 3)

        let (similar, _) = try await client.callTool(name: "similar", arguments: ["path": .string(fixture.root + "/bread.md")])
        let neighbours = try #require(try Self.json(similar)["results"] as? [[String: Any]])
        #expect(neighbours.count == 2)
        #expect(!neighbours.contains { $0["path"] as? String == fixture.root + "/bread.md" }, "the source is left out")

        let (status, _) = try await client.callTool(name: "status")
        let counts = try Self.json(status)
        #expect(counts["files"] as? Int == 3 && counts["chunks"] as? Int == 3 && counts["vectors"] as? Int == 3)
        #expect((counts["skipped"] as? [[String: Any]])?.isEmpty == true, "the link and the FIFO are not even walked")
    }

    @Test("Given get, when asked for lines inside the root, then it reads them; outside, by .., through a link or a FIFO, then it refuses")
    func getStaysInsideTheRoots() async throws {
        let fixture = try Fixture()
        let (client, server) = try await Self.connect(fixture)
        defer { Task { await server.stop() } }

        let (read, readError) = try await client.callTool(name: "get", arguments: ["path": "bread.md", "start_line": 3, "end_line": 4])
        #expect(readError != true)
        let file = try Self.json(read)
        #expect(file["text"] as? String == "Feed the sourdough starter twice a day.\nBake at 250 degrees.")
        #expect(file["path"] as? String == fixture.root + "/bread.md")

        let refusals: [(String, String)] = [
            ("/etc/passwd", "is outside the indexed folders"),
            ("../secret.txt", "is outside the indexed folders"),
            (fixture.root + "/../secret.txt", "is outside the indexed folders"),
            ("escape.md", "is outside the indexed folders"),
            ("pipe.md", "never read: not a regular file"),
            // Named like a document, still no document: not "not extracted yet, see qwery status".
            ("pipe.pdf", "never read: not a regular file"),
            ("bread.md\", \"x", "There is no file"),
        ]
        for (path, reason) in refusals {
            let (content, isError) = try await client.callTool(name: "get", arguments: ["path": .string(path)])
            #expect(isError == true, "\(path) was read: \(Self.text(content))")
            #expect(Self.text(content).contains(reason), "\(path): \(Self.text(content))")
            #expect(!Self.text(content).contains("top secret"))
        }
        let (badRange, rangeError) = try await client.callTool(name: "get", arguments: ["path": "bread.md", "start_line": 0])
        #expect(rangeError == true && Self.text(badRange).contains("\"start_line\" must be a whole number"))
    }

    @Test("Given a hidden .env, a .gitignored file, a file in a hidden folder and one over the size limit, when an agent gets each, then each is refused with the reason, and an indexed file is still read")
    func getServesOnlyWhatTheIndexHolds() async throws {
        let fixture = try Fixture()
        let (client, server) = try await Self.connect(fixture)
        defer { Task { await server.stop() } }
        try "API_KEY=hunter2\n".write(toFile: fixture.root + "/.env", atomically: true, encoding: .utf8)
        try "drafts/\nprivate.md\n".write(toFile: fixture.root + "/.gitignore", atomically: true, encoding: .utf8)
        try "hunter2 in a private note\n".write(toFile: fixture.root + "/private.md", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: fixture.root + "/drafts", withIntermediateDirectories: true)
        try "hunter2 in a draft\n".write(toFile: fixture.root + "/drafts/d.md", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: fixture.root + "/.ssh", withIntermediateDirectories: true)
        try "hunter2 private key\n".write(toFile: fixture.root + "/.ssh/id_ed25519", atomically: true, encoding: .utf8)
        try String(repeating: "hunter2 log line\n", count: 140_000).write(toFile: fixture.root + "/huge.log", atomically: true, encoding: .utf8)
        let refusals: [(String, String)] = [
            (".env", "it is a hidden file"),
            ("private.md", "it is ignored"),
            ("drafts/d.md", "it is ignored"),
            (".ssh/id_ed25519", "inside the hidden folder .ssh"),
            ("huge.log", "larger than the 2.0 MB limit"),
        ]
        for (path, reason) in refusals {
            let (content, isError) = try await client.callTool(name: "get", arguments: ["path": .string(path)])
            #expect(isError == true, "\(path) was read")
            #expect(Self.text(content).contains(reason), "\(path): \(Self.text(content))")
            #expect(Self.text(content).contains("is not served"), "\(path)")
            #expect(!Self.text(content).contains("hunter2"), "\(path)")
        }
        let (read, readError) = try await client.callTool(name: "get", arguments: ["path": "trip.md"])
        #expect(readError != true)
        #expect((try Self.json(read))["text"] as? String == "# Trip\n\nTrain to Porto, then Madrid.")
    }
}
