import Foundation
import Testing
@testable import Search

/// Lexical search on sample-corpus/: expected files, CJK, and inputs that would break FTS5 syntax.
@Suite("Lexical search")
struct LexicalSearchTests {
    static func topFiles(_ query: String) throws -> [String] {
        try SampleCorpusIndex.service.lexicalSearch(query, options: SearchService.Options()).map { SampleCorpusIndex.relative($0.path) }
    }

    @Test("Given words from one note, when searched, then that note comes first", arguments: [
        ("sourdough starter", "notes/recipes/sourdough.md"),
        ("Gustavo", "notes/recipes/sourdough.md"),
        ("heapq settlement", "code/tripsplit/tripsplit/settle.py"),
        ("AbortController", "code/web/debounce.ts"),
        ("moisture_percent", "code/sensors-c/moisture.c"),
        ("anchoring loss aversion", "notes/reading/thinking-fast-and-slow.md"),
    ])
    func findsExpectedFile(query: String, expected: String) throws {
        #expect(try Self.topFiles(query).first == expected)
    }

    @Test("Given words that two notes hold together, when searched, then those two notes lead, the book's notes (every chunk about it) first")
    func wordsInTwoNotes() throws {
        let top = try Self.topFiles("Kahneman planning fallacy")
        #expect(Array(top.prefix(2)) == ["notes/reading/thinking-fast-and-slow.md", "notes/journal/2026-01-03.md"])
    }

    @Test("Given a word being typed in the screen, when searched, then it matches as a prefix")
    func prefixWhileTyping() throws {
        var options = SearchService.Options()
        options.typing = true
        let top = try SampleCorpusIndex.service.lexicalSearch("sourdoug", options: options).map { SampleCorpusIndex.relative($0.path) }
        #expect(top.first == "notes/recipes/sourdough.md")
    }

    @Test("Given Chinese or Japanese text without spaces, when searched, then the trigram index finds it", arguments: [
        ("味噌汁", "notes/recipes/miso-soup.md"),
        ("東京", "notes/travel/japan-2024.md"),
        ("満開でした", "notes/travel/japan-2024.md"),
        ("古池や", "notes/reading/poetry.md"),
    ])
    func unsegmentedScripts(query: String, expected: String) throws {
        #expect(try Self.topFiles(query).first == expected)
    }

    @Test("Given input full of FTS5 syntax, when searched, then no error is raised", arguments: [
        "\"", "\"\"", "*", "AND", "a OR", "NEAR(", "NEAR(a b", "-x", "col:val", "^start", "'); DROP TABLE chunk; --",
        "\\", "((()))", "a AND NOT b", "{text}:foo", "\u{0}\u{1}", "🙂", "  ", "a\"b\"c", "%_%", "東\"京",
    ])
    func maliciousQueries(query: String) throws {
        _ = try SampleCorpusIndex.service.lexicalSearch(query, options: SearchService.Options())
    }

    @Test("Given a quoted query with operators, when searched, then the words are matched as plain text")
    func operatorsAreText() throws {
        #expect(try Self.topFiles("\"tripsplit\" AND").first?.hasPrefix("code/tripsplit") == true)
    }
}
