import Foundation
import Testing
@testable import Syntax

/// Highlighting from the grammars' own queries, and grammar loading when things are missing or broken.
@Suite("Syntax highlighting and grammar loading")
struct HighlighterTests {
    static func grammar(_ path: String) throws -> Grammar {
        try #require(GrammarLibrary.shared.grammar(forPath: path),
                     "no grammar in \(GrammarLibrary.shared.folder): run ./dev.sh test or qwery grammars install")
    }

    func kinds(_ runs: [HighlightRun], in line: String) -> [String: SyntaxKind] {
        let characters = Array(line)
        return Dictionary(runs.map { (String(characters[$0.characters]), $0.kind) }, uniquingKeysWith: { first, _ in first })
    }

    @Test("Given Python, when highlighted, then keywords, strings, comments, numbers and the function name get their kinds, per line")
    func python() throws {
        let text = "def reconcile(amount):\n    # adjust\n    return amount + 42  # \"done\"\nlabel = \"ledger\"\n"
        let lines = try #require(Highlighter.lines(text, grammar: try Self.grammar("a.py")))
        #expect(lines.count == 5)
        let first = kinds(lines[0], in: "def reconcile(amount):")
        #expect(first["def"] == .keyword && first["reconcile"] == .function, "\(first)")
        #expect(kinds(lines[1], in: "    # adjust")["# adjust"] == .comment)
        let third = kinds(lines[2], in: "    return amount + 42  # \"done\"")
        #expect(third["return"] == .keyword && third["42"] == .number && third["# \"done\""] == .comment, "\(third)")
        #expect(kinds(lines[3], in: "label = \"ledger\"")["\"ledger\""] == .string)
    }

    @Test("Given Rust with non-ASCII text, when highlighted, then runs count characters, not bytes")
    func characterOffsets() throws {
        let line = "let café = \"naïve\"; // 日本"
        let lines = try #require(Highlighter.lines(line + "\n", grammar: try Self.grammar("a.rs")))
        let found = kinds(lines[0], in: line)
        #expect(found["\"naïve\""] == .string && found["// 日本"] == .comment && found["let"] == .keyword, "\(found)")
    }

    @Test("Given a grammar folder with a missing, a corrupt and a wrong-symbol grammar, when loaded, then each says why and none loads")
    func brokenGrammars() throws {
        let folder = NSTemporaryDirectory() + "qwery-grammars-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/python", withIntermediateDirectories: true)
        try Data("not an ELF file".utf8).write(to: URL(fileURLWithPath: folder + "/python/parser.so"))
        // A real shared library without tree_sitter_go: the C library.
        try FileManager.default.createDirectory(atPath: folder + "/go", withIntermediateDirectories: true)
        let libc = ["/lib/x86_64-linux-gnu/libm.so.6", "/usr/lib/x86_64-linux-gnu/libm.so.6"].first { FileManager.default.fileExists(atPath: $0) }
        if let libc { try FileManager.default.copyItem(atPath: libc, toPath: folder + "/go/parser.so") }
        let library = GrammarLibrary(folder: folder)
        guard case .unusable = library.availability(try #require(GrammarCatalog.spec(named: "python"))) else {
            Issue.record("a corrupt parser.so loaded")
            return
        }
        if libc != nil {
            #expect(library.availability(try #require(GrammarCatalog.spec(named: "go"))) == .unusable("\(folder)/go/parser.so has no tree_sitter_go"))
        }
        #expect(library.availability(try #require(GrammarCatalog.spec(named: "rust"))) == .notInstalled)
        #expect(library.grammar(forPath: "x.py") == nil && library.grammar(forPath: "x.rs") == nil)
    }

    @Test("Given file names, when a grammar is looked up, then the extension decides, case-insensitively; .ts and .tsx are two grammars; YAML has none")
    func catalogExtensions() {
        #expect(GrammarCatalog.spec(forPath: "src/ledger.RS")?.name == "rust")
        #expect(GrammarCatalog.spec(forPath: "notes/a.md") == nil && GrammarCatalog.spec(forPath: "Makefile") == nil)
        #expect(GrammarCatalog.spec(forPath: "a.ts")?.name == "typescript" && GrammarCatalog.spec(forPath: "App.tsx")?.name == "tsx")
        #expect(GrammarCatalog.spec(forPath: "a.ts")?.sourcePackage == GrammarCatalog.languagePack)
        #expect(GrammarCatalog.spec(forPath: "a.ts")?.pinned == "0.23.2, sources from tree-sitter-language-pack 0.9.1")
        #expect(GrammarCatalog.spec(forPath: "Ledger.swift")?.name == "swift")
        #expect(GrammarCatalog.spec(forPath: "a.yaml") == nil, "YAML has no buildable grammar (see GrammarCatalog)")
    }
}

extension HighlighterTests {
    @Test("Given TypeScript and Swift, when highlighted, then TypeScript's own keywords and JavaScript's inherited ones are coloured, and Swift's")
    func typescriptAndSwift() throws {
        let typescript = "interface Entry { id: number }\nconst label = \"ledger\";\n"
        let tsLines = try #require(Highlighter.lines(typescript, grammar: try Self.grammar("a.ts")))
        let first = kinds(tsLines[0], in: "interface Entry { id: number }")
        #expect(first["interface"] == .keyword && first["number"] == .type && first["Entry"] == .type, "\(first)")
        let second = kinds(tsLines[1], in: "const label = \"ledger\";")
        #expect(second["const"] == .keyword && second["\"ledger\""] == .string, "inherited from JavaScript: \(second)")
        let swift = "func reconcile() -> Int { return 42 } // done\n"
        let swiftLines = try #require(Highlighter.lines(swift, grammar: try Self.grammar("Ledger.swift")))
        let found = kinds(swiftLines[0], in: "func reconcile() -> Int { return 42 } // done")
        #expect(found["func"] == .keyword && found["return"] == .keyword && found["42"] == .number && found["// done"] == .comment, "\(found)")
    }

    @Test("Given highlight queries with patterns this grammar cannot compile, when loaded, then only those patterns are dropped and the rest still colour")
    func stalePatternsDropped() throws {
        let python = try Self.grammar("a.py")
        let queries = """
            ; a node type Python has no such thing as
            (interface_declaration name: (identifier) @type)
            "def" @keyword
            "no-such-keyword" @keyword
            [ "return" "unheard_of" ] @keyword
            ((comment) @comment)
            (function_definition name: (identifier) @function nonexistent_field: (block))
            (integer) @number
            """
        let grammar = Grammar(spec: python.spec, language: python.language, highlights: queries)
        let compiled = try #require(grammar.highlightQuery)
        #expect(compiled.dropped == ["(interface_declaration name: (identifier) @type)", "\"no-such-keyword\" @keyword",
                                     "[ \"return\" \"unheard_of\" ] @keyword",
                                     "(function_definition name: (identifier) @function nonexistent_field: (block))"], "\(compiled.dropped)")
        let lines = try #require(Highlighter.lines("def f():\n    return 7  # seven\n", grammar: grammar))
        #expect(kinds(lines[0], in: "def f():")["def"] == .keyword)
        let second = kinds(lines[1], in: "    return 7  # seven")
        #expect(second["7"] == .number && second["# seven"] == .comment && second["return"] == nil, "\(second)")
        let broken = Grammar(spec: python.spec, language: python.language, highlights: "(unclosed (identifier) @x")
        #expect(broken.highlightQuery == nil)
    }
}

extension HighlighterTests {
    @Test("Given TSX and JSX, when highlighted, then tags and attributes are coloured from JavaScript's highlights-jsx.scm; TypeScript does not read it")
    func jsxTags() throws {
        let line = "const badge = <span className=\"badge\">{label}</span>;"
        for file in ["Badge.tsx", "badge.jsx"] {
            let lines = try #require(Highlighter.lines(line + "\n", grammar: try Self.grammar(file)))
            let found = kinds(lines[0], in: line)
            #expect(found["span"] == .property && found["className"] == .property && found["\"badge\""] == .string, "\(file): \(found)")
        }
        let typescript = try Self.grammar("a.ts")
        #expect(!typescript.highlights.contains("jsx_"), "a .ts file has no JSX; its grammar has no JSX nodes")
        #expect(try #require(typescript.highlightQuery).dropped.isEmpty, "TypeScript compiles JavaScript's and its own queries whole")
    }
}

extension HighlighterTests {
    @Test("Given queries with text predicates, when highlighted, then match, not-match, eq, any-of hold as written, directives are ignored, and an unknown predicate never colours")
    func textPredicates() throws {
        let python = try Self.grammar("a.py")
        let queries = """
            ((identifier) @constant (#match? @constant "^[A-Z][A-Z_]+$"))
            ((identifier) @keyword (#eq? @keyword "self"))
            ((identifier) @function (#any-of? @function "print" "len"))
            ((identifier) @type (#not-match? @type "^([a-z_]|MAX)"))
            ((identifier) @string (#lua-match? @string "^%a"))
            ((identifier) @number (#set! priority 105) (#eq? @number "seven"))
            (binary_operator left: (identifier) @property right: (identifier) @property (#not-eq? @property "seven"))
            """
        let grammar = Grammar(spec: python.spec, language: python.language, highlights: queries)
        let line = "MAX_TOTAL = len(self) + seven + Other + plain"
        let lines = try #require(Highlighter.lines(line + "\n", grammar: grammar))
        let found = kinds(lines[0], in: line)
        #expect(found["MAX_TOTAL"] == .constant && found["len"] == .function && found["self"] == .keyword, "\(found)")
        #expect(found["seven"] == .number && found["Other"] == .type, "\(found)")
        #expect(found["plain"] == nil, "#lua-match? is not evaluated, so its pattern never colours: \(found)")
    }

    @Test("Given the grammars' own queries, when Python and JSX are highlighted, then their #match? patterns colour constants and tags")
    func grammarPredicates() throws {
        let python = "MAX_TOTAL = 3\nvalue = Ledger()\n"
        let lines = try #require(Highlighter.lines(python, grammar: try Self.grammar("a.py")))
        // tree-sitter-python lists `^[A-Z]` (@constructor) before `^[A-Z][A-Z_]*$` (@constant); as in tree-sitter's
        // own highlighter, the first pattern to match a node wins.
        #expect(kinds(lines[0], in: "MAX_TOTAL = 3")["MAX_TOTAL"] == .function)
        let second = kinds(lines[1], in: "value = Ledger()")
        #expect(second["value"] == nil && second["Ledger"] == .function, "a lowercase name matches neither: \(second)")
    }
}

extension HighlighterTests {
    @Test("Given every installed grammar, when its highlight queries are compiled, then the pinned queries fit the pinned grammars: nothing dropped")
    func everyGrammarsQueries() throws {
        _ = try Self.grammar("a.py")
        var compiled: [String] = []
        for spec in GrammarCatalog.all where spec.hasHighlightQueries {
            guard let grammar = GrammarLibrary.shared.grammar(spec) else { continue }
            let query = try #require(grammar.highlightQuery, "\(spec.name): no pattern of its highlights.scm compiles")
            #expect(query.dropped.isEmpty, "\(spec.name): \(query.dropped)")
            compiled.append(spec.name)
        }
        #expect(compiled.count == GrammarCatalog.all.filter(\.hasHighlightQueries).count, "installed with queries: \(compiled)")
    }
}
