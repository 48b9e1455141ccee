import Foundation
import Search
import Store
import Testing
@testable import QweryCore

/// One record type per result and status for every face; the encoder decides null vs omitted (issue #22).
@Suite("Records")
struct RecordsTests {
    @Test("Given a lexical-only result, when encoded for the CLI and for MCP, then the CLI writes null scores and ranks, MCP leaves them out")
    func nullsOrOmitted() throws {
        var result = SearchResult(chunkId: 1, path: "/notes/a.md", startLine: 3, endLine: 5, context: "A", text: "alpha", contentHash: Data([1]))
        result.lexicalScore = 2.5
        result.lexicalRank = 1
        result.fusedScore = 0.016
        result.fusedRank = 1
        let record = ResultRecord(result, rank: 1, snippet: "alpha", coverage: CoverageRecord(vectors: 0, chunks: 4))
        let cli = Records.encode(record, explicitNulls: true)
        let mcp = Records.encode(record, explicitNulls: false)
        #expect(cli == #"{"context":"A","coverage":{"chunks":4,"vectors":0},"end_line":5,"identical_paths":[],"lexical_rank":1,"path":"/notes/a.md","rank":1,"rank_before_rerank":1,"scores":{"fused":0.016,"lexical":2.5,"rerank":null,"vector":null},"snippet":"alpha","start_line":3,"symbol":null,"vector_rank":null}"#)
        #expect(mcp == #"{"context":"A","coverage":{"chunks":4,"vectors":0},"end_line":5,"identical_paths":[],"lexical_rank":1,"path":"/notes/a.md","rank":1,"rank_before_rerank":1,"scores":{"fused":0.016,"lexical":2.5},"snippet":"alpha","start_line":3}"#)
    }

    @Test("Given a status, when encoded for the CLI, then writer_pid is null and the server-only keys are absent; for MCP they appear once set")
    func statusRecord() throws {
        var status = IndexStatus()
        status.roots = ["/notes"]
        status.indexedFiles = 2
        var record = StatusRecord(status, path: "/index.sqlite", writerPid: nil)
        #expect(Records.encode(record, explicitNulls: true).contains(#""writer_pid":null"#))
        #expect(!Records.encode(record, explicitNulls: true).contains("updating"))
        #expect(Records.encode(record, explicitNulls: true).contains(#""parsed_languages":["#))
        record.updating = false
        record.vectors = 7
        let mcp = Records.encode(record, explicitNulls: false)
        #expect(mcp.contains(#""updating":false"#) && mcp.contains(#""vectors":7"#) && !mcp.contains("writer_pid"))
    }
}
