import Testing
@testable import Corpus

/// Globs match in one pass over the text (an NFA simulation), with gitignore's meaning of `*`, `**`, `?`, `[...]`.
@Suite("Glob")
struct GlobTests {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        Glob.matches(Array(pattern.utf8)[...], Array(text.utf8)[...])
    }

    @Test("Given star-heavy patterns that made a backtracking matcher exponential, when matched, then each answers in one pass")
    func pathologicalStars() {
        let sixtyA = String(repeating: "a", count: 60)
        #expect(!Self.matches(String(repeating: "*a", count: 40) + "b", sixtyA + ".md"))
        #expect(!Self.matches(String(repeating: "*", count: 40) + "a" + String(repeating: "*a", count: 30) + "b", sixtyA))
        #expect(Self.matches(String(repeating: "*a", count: 30) + "*", sixtyA))
        #expect(!Self.matches(String(repeating: "**/*a", count: 20) + "b", String(repeating: "a/", count: 30) + "a"))
        // The compiled steps are as long as the pattern: the cost is steps × bytes, whatever the pattern.
        #expect(Glob.compile(Array(String(repeating: "*", count: 28).utf8)[...]) == [.anything])
        #expect(Glob.compile(Array("a***b".utf8)[...]) == [.literal(97), .anything, .literal(98)])
    }

    @Test("Given each kind of step, when matched, then gitignore semantics hold")
    func semantics() {
        #expect(Self.matches("*.md", "note.md"))
        #expect(!Self.matches("*.md", "dir/note.md"), "* stays within one segment")
        #expect(Self.matches("**/note.md", "note.md"), "**/ matches zero folders")
        #expect(Self.matches("**/note.md", "a/b/note.md"))
        #expect(Self.matches("a/**/b", "a/b"))
        #expect(Self.matches("a/**/b", "a/x/y/b"))
        #expect(!Self.matches("a/**/b", "a/xb"))
        #expect(Self.matches("a/**", "a/x/y"))
        #expect(Self.matches("?.md", "a.md"))
        #expect(!Self.matches("?", "/"))
        #expect(Self.matches("[a-c]x", "bx"))
        #expect(!Self.matches("[!a-c]x", "bx"))
        #expect(Self.matches("[!a-c]x", "dx"))
        #expect(!Self.matches("[a-c", "a"), "an unclosed class matches nothing")
        #expect(Self.matches("\\*", "*"))
        #expect(!Self.matches("\\*", "a"))
        #expect(Self.matches("", ""))
        #expect(!Self.matches("a", ""))
    }
}
