import Testing
@testable import Corpus

/// gitignore semantics as git and ripgrep apply them.
@Suite("Ignore rules")
struct IgnoreRulesTests {
    static func rules(_ lines: [String], base: String = "") -> IgnoreRules {
        var rules = IgnoreRules()
        rules.add(fileContents: lines.joined(separator: "\n"), base: base)
        return rules
    }

    @Test("Given a name without a slash, when matching, then it matches at any depth")
    func unanchored() {
        let rules = Self.rules(["*.log", "build"])
        #expect(rules.decision(for: "a.log", isDirectory: false) == true)
        #expect(rules.decision(for: "deep/er/a.log", isDirectory: false) == true)
        #expect(rules.decision(for: "src/build", isDirectory: true) == true)
        #expect(rules.decision(for: "a.logs", isDirectory: false) == nil)
    }

    @Test("Given a leading or middle slash, when matching, then the pattern is anchored to its file's folder")
    func anchored() {
        let rules = Self.rules(["/todo.md", "docs/*.tmp"], base: "notes")
        #expect(rules.decision(for: "notes/todo.md", isDirectory: false) == true)
        #expect(rules.decision(for: "notes/sub/todo.md", isDirectory: false) == nil)
        #expect(rules.decision(for: "todo.md", isDirectory: false) == nil)
        #expect(rules.decision(for: "notes/docs/a.tmp", isDirectory: false) == true)
        #expect(rules.decision(for: "notes/docs/x/a.tmp", isDirectory: false) == nil)
    }

    @Test("Given a trailing slash, when matching, then only folders match")
    func directoryOnly() {
        let rules = Self.rules(["cache/"])
        #expect(rules.decision(for: "cache", isDirectory: true) == true)
        #expect(rules.decision(for: "cache", isDirectory: false) == nil)
    }

    @Test("Given a negation after a match, when matching, then the last pattern wins")
    func negation() {
        let rules = Self.rules(["*.md", "!keep.md", "# comment", "", "\\#literal"])
        #expect(rules.decision(for: "a.md", isDirectory: false) == true)
        #expect(rules.decision(for: "x/keep.md", isDirectory: false) == false)
        #expect(rules.decision(for: "#literal", isDirectory: false) == true)
    }

    @Test("Given ** and character classes, when matching, then they cross folders and match sets")
    func doubleStarAndClasses() {
        let rules = Self.rules(["a/**/z.txt", "logs/**", "file[0-9].txt", "**/tmp"])
        #expect(rules.decision(for: "a/z.txt", isDirectory: false) == true)
        #expect(rules.decision(for: "a/b/c/z.txt", isDirectory: false) == true)
        #expect(rules.decision(for: "logs/x/y", isDirectory: false) == true)
        #expect(rules.decision(for: "file7.txt", isDirectory: false) == true)
        #expect(rules.decision(for: "fileA.txt", isDirectory: false) == nil)
        #expect(rules.decision(for: "q/tmp", isDirectory: true) == true)
    }
}
