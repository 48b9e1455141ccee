import Foundation
import Testing
@testable import Evaluation

@Suite("Evaluation metrics, computed by hand")
struct EvalMetricsTests {
    let query = EvalQuery(id: "q1", text: "ledger reconcile", relevant: [
        EvalTarget(path: "a.py", lines: 10...20, grade: 1),
        EvalTarget(path: "b.py", lines: nil, grade: 1),
    ], category: "symbol")

    @Test("Given relevant files at file ranks 2 and 4, when scored, then nDCG@10 is (1/log2 3 + 1/log2 5) / (1 + 1/log2 3), recall 1 and MRR 1/2")
    func fileLevel() {
        let results = [("x.py", 1, 5), ("a.py", 1, 9), ("a.py", 15, 30), ("y.py", 1, 2), ("b.py", 1, 3)].map { (path: $0.0, start: $0.1, end: $0.2) }
        let outcome = EvalRunner.score(query, results: results)
        #expect(abs(outcome.file.ndcg10 - 0.650921) < 1e-5)
        #expect(outcome.file.recall10 == 1)
        #expect(outcome.file.mrr10 == 0.5)
        #expect(outcome.top.map(\.path) == ["x.py", "a.py", "y.py", "b.py"])
        #expect(outcome.top.map(\.relevant) == [false, true, false, true])
        #expect(outcome.missed.isEmpty)
    }

    @Test("Given a target's lines met only by the third chunk, when scored at chunk level, then the chunk ranks 3 and 5 count: nDCG (1/2 + 1/log2 6) / (1 + 1/log2 3)")
    func chunkLevel() {
        let results = [("x.py", 1, 5), ("a.py", 1, 9), ("a.py", 15, 30), ("y.py", 1, 2), ("b.py", 1, 3)].map { (path: $0.0, start: $0.1, end: $0.2) }
        let outcome = EvalRunner.score(query, results: results)
        #expect(abs(outcome.chunk.ndcg10 - 0.543772) < 1e-5)
        #expect(outcome.chunk.mrr10 == 1.0 / 3)
        #expect(outcome.chunk.recall10 == 1)
    }

    @Test("Given graded judgements 2 and 1 found in the wrong order, when scored, then nDCG uses the grade as gain: (1 + 2/log2 3) / (2 + 1/log2 3)")
    func gradedGains() {
        let graded = EvalQuery(id: "g", text: "t", relevant: [EvalTarget(path: "d1", lines: nil, grade: 2), EvalTarget(path: "d2", lines: nil, grade: 1)], category: nil)
        let outcome = EvalRunner.score(graded, results: [(path: "d2", start: 1, end: 1), (path: "d1", start: 1, end: 1)])
        #expect(abs(outcome.file.ndcg10 - 0.859719) < 1e-5)
    }

    @Test("Given a relevant file beyond rank 10 and one not found, when scored, then recall@10 is 0, recall@100 is 1/2, MRR@10 is 0 and the missing one is listed")
    func cutoffs() {
        let results = (0..<12).map { (path: "n\($0).py", start: 1, end: 1) } + [(path: "a.py", start: 12, end: 12)]
        let outcome = EvalRunner.score(query, results: results)
        #expect(outcome.file.recall10 == 0)
        #expect(outcome.file.recall100 == 0.5)
        #expect(outcome.file.mrr10 == 0)
        #expect(outcome.missed == ["b.py"])
    }

    @Test("Given --compare entries, when parsed, then modes, presets, dimensions and ablations are read and mistakes are named")
    func configurations() throws {
        let hybrid = try EvalConfiguration(parsing: "hybrid+code@256")
        #expect(hybrid.mode == .hybrid && hybrid.preset.name == "code" && hybrid.dimensions == 256 && hybrid.needsModel)
        let ablation = try EvalConfiguration(parsing: "lexical-no-definitions")
        #expect(ablation.mode == .lexical && ablation.ranking.definitionBoost == 1 && !ablation.needsModel)
        #expect(try EvalConfiguration(parsing: "lexical-no-pathwords").ranking.pathWordsBoost == 0)
        #expect(try EvalConfiguration(parsing: "bm25").ranking.isPlain)
        #expect(throws: EvalSetError.self) { try EvalConfiguration(parsing: "hybird") }
        #expect(throws: EvalSetError.self) { try EvalConfiguration(parsing: "hybrid@7") }
        #expect(throws: EvalSetError.self) { try EvalConfiguration(parsing: "lexical-no-magic") }
    }

    @Test("Given queries.jsonl with a bad line, when read, then the error names the file, the line and what is missing")
    func queryFileErrors() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-eval-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/queries.jsonl"
        try Data("""
            {"id": "1", "query": "ledger", "relevant": ["./src/a.py", {"path": "b.md", "start_line": 3, "end_line": 9}], "category": "symbol"}
            {"id": "2", "query": "missing relevant"}

            """.utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: EvalSetError(description: "\(path):2: this query needs \"relevant\": a list of paths or {\"path\", \"start_line\", \"end_line\"}.")) {
            try EvalSet.readQueries(path)
        }
        try Data("""
            {"id": "1", "query": "ledger", "relevant": ["./src/a.py", {"path": "b.md", "start_line": 3, "end_line": 9}], "category": "symbol"}

            """.utf8).write(to: URL(fileURLWithPath: path))
        let queries = try EvalSet.readQueries(path)
        #expect(queries.count == 1)
        #expect(queries[0].relevant == [EvalTarget(path: "src/a.py", lines: nil, grade: 1), EvalTarget(path: "b.md", lines: 3...9, grade: 1)])
    }

    @Test("Given a BEIR folder, when materialized, then each document is a file, the header row is skipped and zero-score judgements are dropped")
    func beir() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-beir-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/qrels", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("""
            {"_id": "d1", "title": "Kyoto", "text": "lantern persimmon alley"}
            {"_id": "d/2", "title": "", "text": "other"}
            """.utf8).write(to: URL(fileURLWithPath: folder + "/corpus.jsonl"))
        try Data("{\"_id\": \"q1\", \"text\": \"lantern\"}\n{\"_id\": \"q2\", \"text\": \"unjudged\"}\n".utf8).write(to: URL(fileURLWithPath: folder + "/queries.jsonl"))
        try Data("query-id\tcorpus-id\tscore\nq1\td1\t2\nq1\td/2\t0\n".utf8).write(to: URL(fileURLWithPath: folder + "/qrels/test.tsv"))
        #expect(EvalSet.isBEIR(folder))
        let queries = try EvalSet.materializeBEIR(folder, into: folder + "/out")
        #expect(queries == [EvalQuery(id: "q1", text: "lantern", relevant: [EvalTarget(path: "docs/d1.txt", lines: nil, grade: 2)], category: nil)])
        #expect(try String(contentsOfFile: folder + "/out/docs/d1.txt", encoding: .utf8) == "Kyoto\n\nlantern persimmon alley\n")
        #expect(FileManager.default.fileExists(atPath: folder + "/out/" + EvalSet.beirDocumentPath("d/2")))
        #expect(EvalSet.beirDocumentPath("d/2") == "docs/d%2F2.txt")
    }
}
