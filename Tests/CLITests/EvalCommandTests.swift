import Foundation
import Testing

/// `qwery eval` through the binary (issue 31): its figures agree with ir-measures on a toy run, and a
/// labelled folder gives the figures its queries deserve.
@Suite("qwery eval", .serialized)
struct EvalCommandTests {
    static let evalFolder: String = {
        URL(fileURLWithPath: QweryProcess.fixtures).deletingLastPathComponent().appendingPathComponent("Eval").path
    }()

    @Test("Given a toy run with graded judgements, when qwery eval scores it, then nDCG@10, R@10 and RR@10 equal ir-measures' for every query and configuration")
    func agreesWithIRMeasures() throws {
        let result = try ChildProcess.run("/usr/bin/env", ["python3", Self.evalFolder + "/check_metrics.py", QweryProcess.executable])
        #expect(result.status == 0, "\(result.standardOutput)\n\(result.standardError)")
        #expect(result.standardOutput.contains("24 passed, 0 failed"), "\(result.standardOutput)")
    }

    @Test("Given a folder whose queries name a defining file and a test of it, when evaluated lexically, then the definition is first and the JSON says so")
    func definitionsFirstThroughTheBinary() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-eval-\(UUID().uuidString)").resolvingSymlinksInPath().path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let folder = base + "/repo"
        try FileManager.default.createDirectory(atPath: folder + "/src", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/tests", withIntermediateDirectories: true)
        try "class GsonBuilder:\n    \"\"\"Builds Gson instances.\"\"\"\n    def create(self):\n        return Gson()\n"
            .write(toFile: folder + "/src/gson_builder.py", atomically: true, encoding: .utf8)
        try "from src.gson_builder import GsonBuilder\n\ndef test_gson_builder():\n    builder = GsonBuilder()\n    assert GsonBuilder().create()\n    GsonBuilder.create(GsonBuilder())\n"
            .write(toFile: folder + "/tests/test_gson_builder.py", atomically: true, encoding: .utf8)
        try #"{"id": "s1", "query": "GsonBuilder", "relevant": ["src/gson_builder.py"], "category": "symbol"}"#
            .write(toFile: base + "/queries.jsonl", atomically: true, encoding: .utf8)
        let result = try QweryProcess.run(["eval", folder, "--queries", base + "/queries.jsonl", "--compare", "lexical",
                                           "--db", base + "/index.sqlite", "--json", "--details", base + "/details.jsonl"])
        #expect(result.status == 0, "\(result.standardError)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let rows = try #require(summary["configurations"] as? [[String: Any]])
        let file = try #require(rows.first?["file"] as? [String: Double])
        #expect(file["ndcg10"] == 1 && file["mrr10"] == 1)
        let details = try String(contentsOfFile: base + "/details.jsonl", encoding: .utf8)
        #expect(details.contains(#"{"path":"src/gson_builder.py","relevant":true}"#), "\(details)")
        #expect(details.contains(#"{"path":"tests/test_gson_builder.py","relevant":false}"#), "the test comes after: \(details)")
    }
}
