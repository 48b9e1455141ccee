import Foundation
import Testing
@testable import Search

/// The query syntax shared by the screen, `qwery search` and MCP (issue #15).
@Suite("Query syntax")
struct QuerySyntaxTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    @Test("Given every filter form, when parsed, then the words and each filter come out")
    func everyForm() throws {
        let parsed = try QuerySyntax.parse(#"budget path:notes/** dir:journal ext:.md,PY lang:swift -draft "travel plan" modified:<7d http://x.org TODO:"#, now: Self.now)
        #expect(parsed.text == "budget travel plan http://x.org TODO:")
        #expect(parsed.filters.pathGlobs == ["notes/**"])
        #expect(parsed.filters.directories == ["journal"])
        #expect(parsed.filters.extensions == ["md", "py", "swift"])
        #expect(parsed.filters.excludedTerms == ["draft"])
        #expect(parsed.filters.phrases == ["travel plan"])
        #expect(parsed.filters.modifiedAfter == Self.now.addingTimeInterval(-7 * 86_400))
        #expect(parsed.filters.modifiedBefore == nil)
        let dated = try QuerySyntax.parse("x modified:>2026-01-01 modified:<3m", now: Self.now).filters
        #expect(dated.modifiedAfter == Self.now.addingTimeInterval(-3 * 2_592_000))
        #expect(try QuerySyntax.parse("x modified:>2026-01-01").filters.modifiedAfter == ISO8601DateFormatter().date(from: "2026-01-01T00:00:00Z"))
        #expect(try QuerySyntax.parse("plain words - -5").filters.excludedTerms == ["5"])
        #expect(try QuerySyntax.parse("plain words").filters.isEmpty)
        // A phrase still being typed runs to the end of the query instead of failing at every keystroke.
        #expect(try QuerySyntax.parse("budget \"travel pl").filters.phrases == ["travel pl"])
        #expect(try QuerySyntax.parse("\"").filters.isEmpty)
    }

    @Test("Given bad syntax, when parsed, then the error names the character and the right form", arguments: [
        ("ext: notes", 1, "ext: needs a value, e.g. ext:md,py."),
        ("a modified:7d", 3, "modified: takes < or >"),
        ("a b modified:<7x", 15, "7x is neither an age"),
        ("modified:<7x pool", 11, "7x is neither an age"),
        ("modified:>2026-02-30", 11, "2026-02-30 is not a date of the calendar"),
        ("lang:klingon", 1, "unknown language klingon"),
    ])
    func errorsHavePositions(input: String, position: Int, message: String) {
        #expect {
            _ = try QuerySyntax.parse(input)
        } throws: { error in
            guard let error = error as? QuerySyntaxError else { return false }
            return error.position == position && error.message.hasPrefix(message)
        }
    }

    @Test("Given a pasted query of 1,500 repetitive words, when split into terms, then each term comes once and at most 32 are kept")
    func repeatedTermsAreBounded() {
        let words = (0..<1_500).map { "word\($0 % 40)" } + ["Word1", "WORD2", "extraordinarily"]
        let terms = LexicalQuery(words.joined(separator: " ")).words
        #expect(terms.count == LexicalQuery.maximumWords)
        #expect(Set(terms).count == terms.count)
        #expect(terms.contains("extraordinarily"), "the longest (likely rarest) terms are kept")
        #expect(throws: QuerySyntaxError(position: 20_001, message: "queries are at most 20,000 characters; this one has 25,000. Keep the words that matter.")) {
            try QuerySyntax.parse(String(repeating: "word ", count: 5_000))
        }
    }

    @Test("Given a pasted 1,500-word repetitive query, when searched lexically on the sample corpus, then it answers like the short query")
    func pastedQueryAnswers() throws {
        let words = ["sourdough", "starter", "bread", "flour", "water", "salt"]
        let pasted = (0..<1_500).map { words[$0 % words.count] }.joined(separator: " ")
        let options = SearchService.Options()
        let long = try SampleCorpusIndex.service.lexicalSearch(pasted, options: options)
        let short = try SampleCorpusIndex.service.lexicalSearch(words.joined(separator: " "), options: options)
        #expect(!long.isEmpty)
        #expect(long.map(\.chunkId) == short.map(\.chunkId), "the same terms once each")
    }

    @Test("Given modified:< with nothing after it, or control characters in a query, when parsed, then the error shows the empty value, and controls separate words")
    func emptyModifiedAndControls() throws {
        #expect(throws: QuerySyntaxError(position: 1, message: "modified:< needs an age or a date after the <, e.g. modified:<7d or modified:<2026-01-01.")) {
            try QuerySyntax.parse("modified:<")
        }
        let parsed = try QuerySyntax.parse("wal\u{0}nut\u{1B}tree")
        #expect(parsed.text.split(separator: " ") == ["wal", "nut", "tree"])
    }
}
