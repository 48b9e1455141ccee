import Foundation
import Testing

/// `qwery watch` serving the other faces (issue #35), through the binary: the same output with and without it,
/// `status` naming it, and every face carrying on in-process when it is gone.
@Suite("The warm path through the binary", .serialized)
struct ServerCommandTests {
    static let models = QweryProcess.fixtures + "/models"

    @Test("Given qwery watch serving an index, when searched, then the output equals --no-daemon's, status counts the search, and after a SIGKILL search still answers")
    func watchServesSearch() throws {
        let scratch = try HostileCommandTests.Scratch()
        try scratch.write("notes/bread.md", "# Bread\n\nFeed the sourdough starter twice a day.\n")
        try scratch.write("notes/trip.md", "# Trip\n\nTrain to Porto, then the sourdough bakery in Madrid.\n")
        let database = scratch.root + "/index.sqlite"
        // A short runtime folder: a Unix socket's path holds at most 107 bytes.
        let runtime = "/tmp/qwery-run-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: runtime) }
        let environment = ["XDG_RUNTIME_DIR": runtime]
        let modelArguments = ["--db", database, "--model", Self.models + "/tiny-embedding", "--reranker", Self.models + "/tiny-causal"]
        let log = scratch.root + "/watch.err"
        let watch = try ChildProcess(QweryProcess.executable, ["watch", scratch.root + "/notes"] + modelArguments, error: log,
                                     environment: environment)
        var ready = false
        for _ in 0..<1200 where !ready {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            ready = text.contains("serving searches at") && text.contains("up to date")
            if !ready { usleep(50_000) }
        }
        try #require(ready, "\((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")

        let served = try QweryProcess.run(["search", "sourdough", "--json"] + modelArguments, environment: environment)
        let local = try QweryProcess.run(["search", "sourdough", "--json", "--no-daemon"] + modelArguments, environment: environment)
        #expect(served.status == 0 && local.status == 0, "\(served.standardError) \(local.standardError)")
        #expect(!served.standardOutput.isEmpty && served.standardOutput == local.standardOutput)
        let status = try QweryProcess.run(["status", "--db", database], environment: environment)
        #expect(status.standardOutput.contains("server: qwery watch (pid \(watch.pid)) serves searches of this index"), "\(status.standardOutput)")
        #expect(status.standardOutput.contains("1 searches served"), "--no-daemon went in-process: \(status.standardOutput)")
        // Other models than the server's: searched in-process, not by the server.
        let other = try QweryProcess.run(["search", "sourdough", "--json", "--db", database, "--model", Self.models + "/tiny-embedding"],
                                         environment: environment)
        #expect(other.status == 0 && !other.standardOutput.isEmpty)
        let after = try QweryProcess.run(["status", "--db", database, "--json"], environment: environment)
        #expect(after.standardOutput.contains("\"searches\":1"), "\(after.standardOutput)")

        // An agent's `qwery mcp` beside it sends its searches there too (and loads no model of its own).
        let call = #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"search","arguments":{"query":"sourdough"}}}"#
        let like = #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"similar","arguments":{"path":"trip.md"}}}"#
        let mcp = try QweryProcess.run(["mcp"] + modelArguments,
                                       input: [MCPStdioTests.initialize, MCPStdioTests.initialized, call, like].joined(separator: "\n") + "\n",
                                       environment: environment)
        #expect(mcp.standardOutput.contains("bread.md") && mcp.standardError.contains("searches go to the running qwery watch"), "\(mcp.standardError)")
        let similarAnswer = mcp.standardOutput.split(separator: "\n").first { $0.contains("\"id\":3") } ?? ""
        #expect(similarAnswer.contains("bread.md") && !similarAnswer.contains("isError\":true"), "\(similarAnswer)")
        let afterMCP = try QweryProcess.run(["status", "--db", database, "--json"], environment: environment)
        #expect(afterMCP.standardOutput.contains("\"searches\":3"), "search and similar both served: \(afterMCP.standardOutput)")

        // `similar` too: stored vectors from the server's memory, the same lines as in-process.
        let similarServed = try QweryProcess.run(["similar", scratch.root + "/notes/bread.md", "--json"] + modelArguments, environment: environment)
        let similarLocal = try QweryProcess.run(["similar", scratch.root + "/notes/bread.md", "--json", "--no-daemon"] + modelArguments,
                                                environment: environment)
        #expect(similarServed.status == 0 && !similarServed.standardOutput.isEmpty && similarServed.standardOutput == similarLocal.standardOutput,
                "\(similarServed.standardError) \(similarLocal.standardError)")
        let afterSimilar = try QweryProcess.run(["status", "--db", database, "--json"], environment: environment)
        #expect(afterSimilar.standardOutput.contains("\"searches\":4"), "\(afterSimilar.standardOutput)")

        // 200 searches, twenty processes at a time: every one answered by the server, its memory flat. Measured after a
        // first wave (threads, caches and allocator arenas in place) and after the last, from /proc (the child's own).
        func residentKilobytes() -> Int {
            let status = (try? String(contentsOfFile: "/proc/\(watch.pid)/status", encoding: .utf8)) ?? ""
            let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        func wave(_ first: Int) throws -> Int {
            let children = try (first..<first + 20).map { index in
                try ChildProcess(QweryProcess.executable, ["search", "sourdough", "--json"] + modelArguments,
                                 output: scratch.root + "/wave-\(index).out", error: scratch.root + "/wave-\(index).err", environment: environment)
            }
            return children.map { $0.wait() }.filter { $0 == 0 }.count
        }
        #expect(try wave(0) == 20)
        let warm = residentKilobytes()
        var answered = 20
        for first in stride(from: 20, to: 200, by: 20) { answered += try wave(first) }
        let grown = residentKilobytes() - warm
        #expect(answered == 200)
        let servedCount = try QweryProcess.run(["status", "--db", database, "--json"], environment: environment)
        #expect(servedCount.standardOutput.contains("\"searches\":204"), "all 200 through the server: \(servedCount.standardOutput)")
        #expect(warm > 0 && grown < 24 * 1024, "the watcher grew \(grown) kB over 180 searches (from \(warm) kB)")
        #expect(try String(contentsOfFile: scratch.root + "/wave-199.out", encoding: .utf8) == local.standardOutput)

        // Killed without cleaning up: its socket stays behind, and search carries on in-process.
        watch.kill(SIGKILL)
        _ = watch.wait()
        let afterKill = try QweryProcess.run(["search", "sourdough", "--json"] + modelArguments, environment: environment)
        #expect(afterKill.status == 0 && afterKill.standardOutput == local.standardOutput)
        let none = try QweryProcess.run(["status", "--db", database], environment: environment)
        #expect(none.standardOutput.contains("server: none"), "\(none.standardOutput)")
    }
}
