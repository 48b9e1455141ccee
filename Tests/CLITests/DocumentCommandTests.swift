import Foundation
import Testing

/// Issue #23's "done when", through the real binary: a tree with one document of each format and every
/// hostile one, indexed by `qwery index` (exit 0, bounded memory), then searched, read with `get`, counted.
@Suite("Documents through the commands", .serialized)
struct DocumentCommandTests {
    static let documents = QweryProcess.fixtures + "/documents"
    static let good = ["report.pdf", "memo.docx", "garden.odt", "novel.epub", "page.html", "analysis.ipynb"]
    static let hostile = ["encrypted.pdf", "truncated.pdf", "random.pdf", "zip-bomb.docx", "zip-bomb-lying.docx", "entity-bomb.docx"]

    final class Tree {
        let scratch: HostileCommandTests.Scratch
        let database: String
        let indexRun: (status: Int32, peakKilobytes: Int)

        init() throws {
            scratch = try HostileCommandTests.Scratch()
            try FileManager.default.createDirectory(atPath: scratch.root + "/docs", withIntermediateDirectories: true)
            try scratch.write("docs/notes.md", "# Notes\n\nA plain note about the weather.\n")
            for name in DocumentCommandTests.good + DocumentCommandTests.hostile {
                try FileManager.default.copyItem(atPath: DocumentCommandTests.documents + "/" + name, toPath: scratch.root + "/docs/" + name)
            }
            database = scratch.root + "/index.sqlite"
            var environment = ProcessInfo.processInfo.environment
            environment.merge(scratch.environment) { $1 }
            let child = try ChildProcess(QweryProcess.executable, ["index", scratch.root + "/docs", "--db", database],
                                         output: scratch.root + "/index.out", error: scratch.root + "/index.err", environment: scratch.environment)
            indexRun = child.waitWithPeakMemory()
        }

        func qwery(_ arguments: [String]) throws -> QweryProcess.Result {
            try scratch.qwery(arguments + ["--db", database])
        }

        func firstHit(_ query: String) throws -> [String: Any] {
            let result = try qwery(["search", query, "--json", "--limit", "1"])
            let line = try #require(result.standardOutput.split(separator: "\n").first, "\(query): \(result.standardError)")
            return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test("Given every format and every hostile document, when indexed, then exit 0 in bounded memory, each phrase finds its file first, with page, cell or heading")
    func everyFormatFound() throws {
        let tree = try Tree()
        #expect(tree.indexRun.status == 0, "\((try? String(contentsOfFile: tree.scratch.root + "/index.err", encoding: .utf8)) ?? "")")
        #expect(tree.indexRun.peakKilobytes < 1_500_000, "peak \(tree.indexRun.peakKilobytes) kB")

        let pdf = try tree.firstHit("heliotrope lighthouse ledger")
        #expect((pdf["path"] as? String)?.hasSuffix("/report.pdf") == true && pdf["page"] as? Int == 2, "\(pdf)")
        let docx = try tree.firstHit("saffron procurement spreadsheet")
        #expect((docx["path"] as? String)?.hasSuffix("/memo.docx") == true)
        #expect(docx["context"] as? String == "Quarterly memo > Budget planning > Procurement")
        let epub = try tree.firstHit("periwinkle zeppelin")
        #expect((epub["path"] as? String)?.hasSuffix("/novel.epub") == true && epub["context"] as? String == "The Crossing")
        #expect((try tree.firstHit("marzipan greenhouse thermostat")["path"] as? String)?.hasSuffix("/garden.odt") == true)
        #expect((try tree.firstHit("vermilion tugboat regatta")["path"] as? String)?.hasSuffix("/page.html") == true)
        let notebook = try tree.firstHit("chartreuse histogram")
        #expect((notebook["path"] as? String)?.hasSuffix("/analysis.ipynb") == true && notebook["cell"] as? Int == 3)
        let script = try tree.qwery(["search", "obsidian scarecrow telemetry", "--json"])
        #expect(!script.standardOutput.contains("page.html"), "script text is not indexed: \(script.standardOutput)")

        let list = try tree.qwery(["search", "heliotrope lighthouse ledger", "--limit", "1"])
        #expect(list.standardOutput.contains("report.pdf:") && list.standardOutput.contains("(page 2)"), "\(list.standardOutput)")
        let grep = try tree.qwery(["search", "heliotrope lighthouse ledger", "--vimgrep", "--limit", "1"])
        #expect(grep.standardOutput.contains(":[page 2] The heliotrope lighthouse ledger"), "\(grep.standardOutput)")
    }

    @Test("Given hostile documents, when status is asked, then each is listed with its reason and formats are counted")
    func statusNamesReasons() throws {
        let tree = try Tree()
        let status = try tree.qwery(["status", "--json"])
        let record = try #require(try JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [String: Any])
        let skipped = (record["skipped"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) {
            $0[(($1["path"] as? String ?? "") as NSString).lastPathComponent] = $1["reason"] as? String
        }
        #expect(skipped["encrypted.pdf"] == "encrypted PDF (needs a password)")
        #expect(skipped["random.pdf"] == "damaged PDF (no %PDF header)")
        #expect(skipped["truncated.pdf"]?.hasPrefix("damaged PDF") == true)
        #expect(skipped["zip-bomb.docx"]?.contains("zip bomb") == true && skipped["zip-bomb-lying.docx"]?.contains("zip bomb") == true)
        #expect(skipped["entity-bomb.docx"]?.contains("entity bomb") == true)
        let formats = (record["formats"] as? [[String: Any]] ?? []).reduce(into: [String: [Int]]()) {
            $0[$1["format"] as? String ?? ""] = [$1["indexed"] as? Int ?? -1, $1["skipped"] as? Int ?? -1]
        }
        #expect(formats["PDF"] == [1, 3] && formats["Word (DOCX)"] == [1, 3] && formats["EPUB"] == [1, 0] && formats["Markdown"] == [1, 0],
                "\(formats)")
        let text = try tree.qwery(["status"])
        #expect(text.standardOutput.contains("formats: PDF 1 (+3 skipped), Word (DOCX) 1 (+3 skipped)"), "\(text.standardOutput)")
    }

    @Test("Given an indexed PDF, when MCP get asks for page 2, then it returns that page's extracted text only")
    func mcpGetPage() throws {
        let tree = try Tree()
        let get = #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get","arguments":{"path":"\#(tree.scratch.root)/docs/report.pdf","page":2}}}"#
        let result = try QweryProcess.run(["mcp", "--no-watch", "--db", tree.database],
                                          input: [MCPStdioTests.initialize, MCPStdioTests.initialized, get].joined(separator: "\n") + "\n",
                                          environment: tree.scratch.environment)
        let answers = result.standardOutput.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let text = MCPStdioTests.toolText(MCPStdioTests.answer(answers, id: 2))
        #expect(text.contains("heliotrope lighthouse ledger"), "\(text)")
        #expect(!text.contains("Appendix") && !text.contains("Annual report"), "one page only: \(text)")
    }
}
