import Foundation
import Testing
@testable import Search
import TestSupport

/// One parse per query (issue #32): every rule reads `QueryAnalysis`, and nothing else in the sources calls the
/// parser, so a rule cannot be decided twice in two ways.
@Suite("One parse per query")
struct OneParseTests {
    static let sources = Repository.root + "/Sources"

    @Test("Given the sources, when searched for calls of the query parser, then QueryAnalysis.swift is the only file that makes one")
    func parserCalledFromOneFile() throws {
        let files = try #require(FileManager.default.enumerator(atPath: Self.sources)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        #expect(files.count > 100)
        let callers = try files.filter { file in
            let text = try String(contentsOfFile: Self.sources + "/" + file, encoding: .utf8)
            return text.split(separator: "\n").contains { line in
                line.contains("QuerySyntax.parse(") && !line.trimmingCharacters(in: .whitespaces).hasPrefix("///")
            }
        }
        #expect(callers == ["Search/QueryAnalysis.swift"], "\(callers)")
    }

    @Test("Given queries of each kind, when analysed, then filter-only, similar and rerankable are decided from one parse")
    func rules() {
        let listing = QueryAnalysis("sym:reconcile lang:swift")
        #expect(listing.isFilterOnly && !listing.isRerankable && listing.symbolTerms == ["reconcile"])
        let words = QueryAnalysis("budget ext:md")
        #expect(!words.isFilterOnly && words.isRerankable && words.rerankText == "budget")
        let similar = QueryAnalysis("similar:/notes/a.md:3")
        #expect(similar.isSimilar && !similar.isRerankable)
        let broken = QueryAnalysis("budget sym:")
        #expect(!broken.isFilterOnly && broken.rerankText == "budget sym:")
        #expect(throws: QuerySyntaxError.self) { try broken.parsedQuery() }
    }
}
