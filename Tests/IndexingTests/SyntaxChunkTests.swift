import Corpus
import Foundation
import Syntax
import Testing
import Tokenizers
@testable import Indexing

/// Code chunked along tree-sitter syntax trees (issue #24), with the grammars `./dev.sh` installs (or
/// `qwery grammars install`); without them, the fallback chunker.
@Suite("Code by its syntax tree")
struct SyntaxChunkTests {
    static let folder = IndexingFixtures.root + "/code"
    static let tokenizer: Tokenizer? = try? Tokenizer(contentsOf: IndexingFixtures.tokenizerPath)

    /// (file, symbol of the middle method, first line of its doc comment, its last line).
    static let cases: [(file: String, symbol: String)] = [
        ("ledger.py", "Ledger.reconcile"), ("ledger.js", "Ledger.reconcile"), ("ledger.go", "Ledger.Reconcile"),
        ("ledger.rs", "Ledger::reconcile"), ("ledger.c", "ledger_reconcile"), ("Ledger.java", "Ledger.reconcile"),
        ("ledger.ts", "Ledger.reconcile"), ("Ledger.swift", "Ledger.reconcile"), ("Ledger.cs", "Ledger.Reconcile"),
        ("Ledger.kt", "Ledger.reconcile"), ("Ledger.scala", "Ledger.reconcile"), ("ledger.lua", "Ledger:reconcile"),
        ("Ledger.php", "Ledger::reconcile"),
    ]

    static func requireGrammar(_ file: String) throws -> Grammar {
        try #require(GrammarLibrary.shared.grammar(forPath: file),
                     "no grammar for \(file) in \(GrammarLibrary.shared.folder): run ./dev.sh test or qwery grammars install")
    }

    /// The doc comment line above the middle method and the method's last line (1-based), read off the file.
    static func expectedLines(_ text: String, file: String) -> (first: Int, last: Int) {
        let lines = text.splitLines()
        let signature = lines.firstIndex { $0.contains("reconcile(") || $0.contains("Reconcile(") } ?? 0
        var first = signature
        // Doc comments (`///`, `/** */`, Lua's `---`), decorators and attributes (TypeScript's `@audited(…)`, C#'s
        // `[Obsolete(…)]`) above the signature belong to it.
        func isAttached(_ line: String) -> Bool {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return ["/", "@", "[", "--"].contains { trimmed.hasPrefix($0) } || line.contains("\"\"\"") && !line.contains("def ")
        }
        while first > 0, isAttached(lines[first - 1]) {
            first -= 1
        }
        if file.hasSuffix(".py") { first = signature }  // Python's docstring sits below the signature
        let close = lines.firstIndex { $0.contains("close(") || $0.contains("Close(") } ?? lines.count
        var last = close - 1
        while last > signature, lines[last].trimmingCharacters(in: .whitespaces).isEmpty || isAttached(lines[last]) {
            last -= 1
        }
        return (first + 1, last + 1)
    }

    @Test("Given a type with three long methods in each language, when chunked, then the middle method is one chunk from its doc comment to its last line, named")
    func middleMethodIsOneChunk() throws {
        var chunker = Chunker(tokenizer: Self.tokenizer)
        chunker.grammars = GrammarLibrary.shared
        for (file, symbol) in Self.cases {
            _ = try Self.requireGrammar(file)
            let text = try String(contentsOfFile: Self.folder + "/" + file, encoding: .utf8)
            let chunks = chunker.chunks(of: text, path: file)
            let marked = chunks.filter { $0.text.contains("quetzalcoatl") }
            #expect(marked.count == 1, "\(file): \(marked.map { ($0.startLine, $0.endLine, $0.symbol ?? "-") })")
            guard let chunk = marked.first else { continue }
            let expected = Self.expectedLines(text, file: file)
            #expect(chunk.symbol == symbol, "\(file): \(chunk.symbol ?? "nil")")
            #expect(chunk.startLine == expected.first && chunk.endLine == expected.last,
                    "\(file): lines \(chunk.startLine)–\(chunk.endLine), expected \(expected.first)–\(expected.last)")
            #expect(chunk.context == symbol, "the context line the model sees is the symbol: \(chunk.context)")
            #expect(!chunk.text.contains("open(") && !chunk.text.contains("Open(") && !chunk.text.contains("close(") && !chunk.text.contains("Close("))
        }
    }

    @Test("Given no grammar for a language, when its code is chunked, then the indentation chunker cuts it and its symbols are the names defined by keyword, no paths")
    func fallbackWithoutGrammar() throws {
        var chunker = Chunker(tokenizer: Self.tokenizer)
        chunker.grammars = GrammarLibrary(folder: "/nonexistent/grammars")
        let text = try String(contentsOfFile: Self.folder + "/ledger.rs", encoding: .utf8)
        let chunks = chunker.chunks(of: text, path: "ledger.rs")
        #expect(!chunks.isEmpty)
        #expect(chunks.contains { $0.text.contains("quetzalcoatl") })
        let symbols = chunks.flatMap { $0.symbol?.components(separatedBy: ", ") ?? [] }
        #expect(Set(symbols) == ["Ledger", "open", "reconcile", "close"], "\(symbols)")
        // Haskell has no grammar in the catalog: the same fallback, whatever is installed.
        let haskell = "module Main where\n\nmain :: IO ()\nmain = putStrLn \"reconcile\"\n"
        #expect(Chunker(tokenizer: Self.tokenizer).chunks(of: haskell, path: "Main.hs").map(\.symbol) == ["Main, main"])
    }

    @Test("Given small functions beside each other, when chunked, then neighbours merge up to the minimum size and keep every symbol")
    func smallNeighboursMerge() throws {
        _ = try Self.requireGrammar("a.py")
        let text = (1...6).map { "def helper_\($0)(value):\n    return value + \($0)\n" }.joined(separator: "\n")
        let chunks = Chunker(tokenizer: Self.tokenizer).chunks(of: text, path: "a.py")
        #expect(chunks.count == 1)
        #expect(chunks.first?.symbol == (1...6).map { "helper_\($0)" }.joined(separator: ", "))
        #expect(chunks.first?.context == "helper_1, helper_2, helper_3, …")
    }

    @Test("Given a decorated Python method and an attributed Rust function, when chunked, then decorator and attribute start the chunk")
    func decoratorsAndAttributes() throws {
        _ = try Self.requireGrammar("a.py")
        _ = try Self.requireGrammar("a.rs")
        let python = "import os\n\n\n# The price, cached.\n@app.route(\"/price\")\n@cached\ndef price(request):\n    return 42\n"
        var chunker = Chunker(tokenizer: Self.tokenizer)
        chunker.minimumTokens = 1
        let chunks = chunker.chunks(of: python, path: "a.py")
        let priced = try #require(chunks.first { $0.symbol == "price" }, "\(chunks.map { ($0.startLine, $0.symbol ?? "-") })")
        #expect(priced.startLine == 4 && priced.text.hasPrefix("# The price, cached.\n@app.route"), "\(priced.text)")
        let rust = "#[inline]\n#[must_use]\npub fn total(values: &[i64]) -> i64 {\n    values.iter().sum()\n}\n"
        let rustChunk = try #require(chunker.chunks(of: rust, path: "a.rs").first)
        #expect(rustChunk.startLine == 1 && rustChunk.symbol == "total")
    }
}

extension SyntaxChunkTests {
    @Test("Given a large class, when split into its members, then its closing brace is no chunk of its own")
    func noBraceOnlyChunks() throws {
        _ = try Self.requireGrammar("ledger.js")
        let text = try String(contentsOfFile: Self.folder + "/ledger.js", encoding: .utf8)
        let chunks = Chunker(tokenizer: Self.tokenizer).chunks(of: text, path: "ledger.js")
        #expect(chunks.allSatisfy { $0.text.contains { $0.isLetter } }, "\(chunks.map(\.text))")
        #expect(chunks.contains { $0.text.contains("module.exports") }, "top-level statements after the class are kept")
    }
}

extension SyntaxChunkTests {
    @Test("Given a function too long for one chunk, when chunked, then it is cut between statements of its body, every piece named, none cut mid-statement")
    func oversizedFunctionCutBetweenStatements() throws {
        _ = try Self.requireGrammar("a.rs")
        // Statements of several lines each, no blank lines: a blank-line cut has nothing to hold on to.
        let statements = (1...40).map { step in
            "    if amount > \(step) {\n        total += amount * \(step); // step \(step) of a long reconciliation\n    }"
        }
        let text = "/// Reconciles.\npub fn reconcile(amount: i64) -> i64 {\n    let mut total = 0;\n" + statements.joined(separator: "\n")
            + "\n    total\n}\n"
        let chunks = Chunker(tokenizer: Self.tokenizer).chunks(of: text, path: "a.rs")
        #expect(chunks.count >= 2, "\(chunks.count) chunks")
        #expect(chunks.allSatisfy { $0.symbol == "reconcile" && $0.context == "reconcile" })
        #expect(chunks.first?.startLine == 1 && chunks.first?.text.hasPrefix("/// Reconciles.\npub fn reconcile") == true)
        let lines = text.splitLines()
        for chunk in chunks.dropFirst() {
            #expect(lines[chunk.startLine - 1].hasPrefix("    if amount"), "piece starts mid-statement at \(chunk.startLine): \(lines[chunk.startLine - 1])")
        }
        #expect(chunks.last?.text.hasSuffix("    total\n}\n") == true)
        #expect(chunks.allSatisfy { $0.tokenCount <= 500 })
    }
}

extension SyntaxChunkTests {
    @Test("Given JSON and TOML data, when chunked, then keys are the symbols: nested JSON keys by path, TOML pairs under their table")
    func dataKeysAsSymbols() throws {
        _ = try Self.requireGrammar("a.json")
        _ = try Self.requireGrammar("a.toml")
        var chunker = Chunker(tokenizer: Self.tokenizer)
        chunker.minimumTokens = 1
        chunker.maximumTokens = 40
        let dependencies = (1...12).map { "    \"package-\($0)\": \"^\($0).0.0\"" }.joined(separator: ",\n")
        let json = "{\n  \"name\": \"ledger\",\n  \"scripts\": {\n    \"build\": \"swift build\",\n    \"test\": \"swift test\"\n  },\n"
            + "  \"dependencies\": {\n\(dependencies)\n  }\n}\n"
        let jsonSymbols = chunker.chunks(of: json, path: "package.json").compactMap(\.symbol)
        #expect(jsonSymbols.contains { $0.contains("scripts") }, "\(jsonSymbols)")
        #expect(jsonSymbols.contains { $0.contains("dependencies.package-3") }, "a large value is split into its keys: \(jsonSymbols)")
        let toml = "[project]\nname = \"ledger\"\nversion = \"1.0\"\n\n[tool.ruff]\nline-length = 120\n"
        let tomlSymbols = chunker.chunks(of: toml, path: "pyproject.toml").compactMap(\.symbol).joined(separator: ", ")
        #expect(tomlSymbols.contains("project") && tomlSymbols.contains("tool.ruff"), "\(tomlSymbols)")
    }

    @Test("Given JSON whose array items repeat a key, when chunked, then each key is named with its item, not as a chain of the same name")
    func jsonArrayItemsNamedByIndex() throws {
        _ = try Self.requireGrammar("a.json")
        var chunker = Chunker(tokenizer: Self.tokenizer)
        chunker.minimumTokens = 1
        chunker.maximumTokens = 30
        let json = """
            {"modules": [
              {"name": "core", "modules": [{"name": "inner-core"}]},
              {"name": "extra", "modules": [{"name": "inner-extra"}]}
            ]}
            """
        let symbols = chunker.chunks(of: json, path: "stats.json").compactMap(\.symbol).joined(separator: ", ")
        #expect(symbols.contains("modules[0].modules[0].name") && symbols.contains("modules[1].name"), "\(symbols)")
        #expect(!symbols.contains("modules.modules"), "\(symbols)")
    }

    @Test("Given a one-line JSON file of 3,000 keys, when chunked, then each piece is named after the keys in it, so sym: finds the last key")
    func oneLineJSONPiecesNamedByTheirKeys() throws {
        _ = try Self.requireGrammar("a.json")
        var chunker = Chunker(tokenizer: Self.tokenizer)
        chunker.maximumTokens = 200
        let json = "{" + (0..<3000).map { "\"key\($0)\": \"value \($0)\"" }.joined(separator: ", ") + "}"
        let chunks = chunker.chunks(of: json, path: "flat.json")
        #expect(chunks.count > 20)
        let last = try #require(chunks.last)
        #expect(last.symbol?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.contains("key2999") == true,
                "\(last.symbol ?? "nil")")
        // Every piece names the keys whose pairs start in it, and only the first piece carries the first key's name.
        for chunk in chunks {
            let named = Set((chunk.symbol ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            let first = try #require(chunk.text.firstMatch(of: /"(key\d+)":/)).1
            #expect(named.contains(String(first)), "\(first) missing from \(named.sorted().prefix(3))")
        }
        #expect(chunks.dropFirst().allSatisfy { !($0.symbol ?? "").split(separator: ",").contains("key0") })
    }
}

extension SyntaxChunkTests {
    @Test("Given TypeScript, TSX and Swift declarations, when outlined, then interfaces, namespaces, components, extensions and initializers are named")
    func typescriptAndSwiftOutlines() throws {
        let typescript = """
            namespace Accounts {
              export interface Entry<T> { id: number; value: T; reconcile(other: Entry<T>): boolean }
              export enum Side { Debit, Credit }
              export type Pair = [Entry<number>, Entry<number>];
              export const settle = async <T,>(entries: T[]): Promise<number> => entries.length;
            }
            declare module "ledger-format" {
              export function parse(text: string): unknown;
            }
            export default abstract class Book { abstract post(amount: number): void }
            """
        let fields = "class Panel {\n  handleClick = (event: Event) => { return event; };\n  count = 0;\n}\n"
        #expect(try symbols(fields, path: "Panel.ts") == ["Panel", "Panel.handleClick"], "a field holding a function is a method; a number is not")
        #expect(try symbols(fields.replacingOccurrences(of: ": Event", with: ""), path: "panel.js") == ["Panel", "Panel.handleClick"])
        let typescriptSymbols = try symbols(typescript, path: "a.ts")
        #expect(typescriptSymbols.isSuperset(of: ["Accounts", "Accounts.Entry", "Accounts.Entry.reconcile", "Accounts.Side", "Accounts.Pair",
                                                  "Accounts.settle", "ledger-format", "ledger-format.parse", "Book", "Book.post"]), "\(typescriptSymbols)")
        let tsx = """
            import React from "react";
            interface Props { label: string }
            export function Badge({ label }: Props) {
              return <span className="badge">{label}</span>;
            }
            """
        let tsxSymbols = try symbols(tsx, path: "Badge.tsx")
        #expect(tsxSymbols.isSuperset(of: ["Props", "Badge"]), "\(tsxSymbols)")
        let swift = """
            protocol Reconciling { func reconcile(with other: Self) -> Bool }
            struct Ledger {
                var total = 0
                init(total: Int) { self.total = total }
                subscript(index: Int) -> Int { index }
            }
            extension Ledger: Reconciling {
                /// Reconciles two ledgers.
                func reconcile(with other: Ledger) -> Bool { total == other.total }
            }
            """
        let swiftSymbols = try symbols(swift, path: "Ledger.swift")
        #expect(swiftSymbols.isSuperset(of: ["Reconciling", "Reconciling.reconcile", "Ledger", "Ledger.init", "Ledger.subscript",
                                             "Ledger.reconcile"]), "\(swiftSymbols)")
    }

    /// Every symbol path the outline of `text` holds, nested ones included.
    private func symbols(_ text: String, path: String) throws -> Set<String> {
        let grammar = try Self.requireGrammar(path)
        let definitions = try #require(SyntaxOutline.definitions(in: text, grammar: grammar), "\(path) did not parse")
        func flatten(_ definitions: [SyntaxDefinition]) -> [String] {
            definitions.flatMap { [$0.symbol] + flatten($0.members) }
        }
        return Set(flatten(definitions))
    }
}

extension SyntaxChunkTests {
    @Test("Given C#, Kotlin, Scala and Lua declarations, when outlined, then types, members, companions and Lua's methods are named in each convention")
    func moreLanguageOutlines() throws {
        let csharp = """
            namespace Accounts;
            public interface IBook { long Reconcile(long amount); }
            public record Entry(int Id);
            public struct Point { public int X { get; set; } }
            public class Ledger : IBook {
                public Ledger(long opening) { }
                public long Reconcile(long amount) => amount;
            }
            """
        let csharpSymbols = try symbols(csharp, path: "Ledger.cs")
        #expect(csharpSymbols.isSuperset(of: ["IBook", "IBook.Reconcile", "Entry", "Point", "Point.X", "Ledger", "Ledger.Ledger",
                                              "Ledger.Reconcile"]), "\\(csharpSymbols)")
        let kotlin = """
            class Ledger(val opening: Long) {
                fun reconcile(amount: Long): Long = amount
                companion object { fun empty() = Ledger(0) }
            }
            object Registry { fun find(name: String): Ledger? = null }
            fun topLevel() = 1
            """
        let kotlinSymbols = try symbols(kotlin, path: "Ledger.kt")
        #expect(kotlinSymbols.isSuperset(of: ["Ledger", "Ledger.reconcile", "Ledger.Companion", "Ledger.Companion.empty", "Registry",
                                              "Registry.find", "topLevel"]), "\\(kotlinSymbols)")
        let scala = """
            trait Book { def reconcile(amount: Long): Long }
            object Ledger { def apply(): Ledger = new Ledger(0) }
            class Ledger(opening: Long) extends Book { def reconcile(amount: Long): Long = amount }
            """
        let scalaSymbols = try symbols(scala, path: "Ledger.scala")
        #expect(scalaSymbols.isSuperset(of: ["Book", "Book.reconcile", "Ledger", "Ledger.apply", "Ledger.reconcile"]), "\\(scalaSymbols)")
        let lua = "local function helper(x) return x end\nfunction Ledger.new(opening) return {} end\nfunction Ledger:reconcile(amount) return amount end\n"
        let luaSymbols = try symbols(lua, path: "ledger.lua")
        #expect(luaSymbols == ["helper", "Ledger.new", "Ledger:reconcile"], "\\(luaSymbols)")
        #expect(SymbolPattern("reconcile").matches("Ledger:reconcile"), "sym:reconcile finds a Lua method")
    }
}

extension SyntaxChunkTests {
    @Test("Given C types, when outlined, then structs, enums, unions and typedefs with a body or a name are definitions, and a mention of a struct is not")
    func cTypes() throws {
        let c = """
            struct Ledger { long total; };
            typedef struct { int x; } Point;
            enum Side { DEBIT, CREDIT };
            typedef int (*compare_fn)(const void *, const void *);
            union Value { int i; float f; };
            struct Ledger *current_ledger;
            long ledger_total(struct Ledger *ledger) { return ledger->total; }
            """
        let found = try symbols(c, path: "ledger.c")
        #expect(found == ["Ledger", "Point", "Side", "compare_fn", "Value", "ledger_total"], "\(found)")
    }

    @Test("Given C and C++ headers, when outlined, then macros with a value or parameters are definitions, inside an include guard too, and a guard or flag is not")
    func macros() throws {
        let header = """
            #ifndef LEDGER_H
            #define LEDGER_H
            #define LEDGER_MAX_ENTRIES 4096
            #define LEDGER_BOUND(n) ((n) + ((n) / 255) + 16)
            #ifdef __cplusplus
            extern "C" {
            #endif
            long ledger_total(void);
            #ifdef __cplusplus
            }
            #endif
            #endif
            """
        #expect(try symbols(header, path: "ledger.h") == ["LEDGER_MAX_ENTRIES", "LEDGER_BOUND"])
        #expect(try symbols(header + "\nnamespace ledger { int total() { return LEDGER_BOUND(1); } }\n", path: "ledger.hpp")
                == ["LEDGER_MAX_ENTRIES", "LEDGER_BOUND", "ledger", "ledger::total"])
    }
}

extension SyntaxChunkTests {
    @Test("Given a type with overloaded members that fits in one chunk, when chunked, then each name is listed once")
    func overloadsListedOnce() throws {
        _ = try Self.requireGrammar("a.swift")
        let swift = "struct Version {\n    var major = 0\n    init() {}\n    init(major: Int) { self.major = major }\n    func bump() -> Version { self }\n}\n"
        let chunks = Chunker(tokenizer: Self.tokenizer).chunks(of: swift, path: "Version.swift")
        #expect(chunks.map(\.symbol) == ["Version, Version.init, Version.bump"])
    }
}

extension SyntaxChunkTests {
    @Test("Given PHP, when outlined, then classes, interfaces, traits, enums, methods and functions are named PHP's way, namespaces left out")
    func phpOutline() throws {
        let php = """
            <?php
            namespace App\\Accounts;
            interface Reconciling { public function reconcile(int $amount): int; }
            trait Loggable { function log(string $line): void {} }
            enum Side { case Debit; case Credit; }
            #[Attribute]
            class Ledger implements Reconciling {
                use Loggable;
                public function __construct(private int $total) {}
                public function reconcile(int $amount): int { return $this->total + $amount; }
            }
            function helper($x) { return $x; }
            """
        let found = try symbols(php, path: "Ledger.php")
        #expect(found == ["Reconciling", "Reconciling::reconcile", "Loggable", "Loggable::log", "Side", "Ledger", "Ledger::__construct",
                          "Ledger::reconcile", "helper"], "\(found)")
    }
}

extension SyntaxChunkTests {
    @Test("Given a YAML workflow, when chunked, then its chunks carry key paths like JSON's, and a large value is split into its keys")
    func yamlKeysAsSymbols() throws {
        var chunker = Chunker(tokenizer: Self.tokenizer)
        chunker.minimumTokens = 1
        chunker.maximumTokens = 60
        let steps = (1...8).map { "      - name: Step \($0)\n        run: swift build --product tool-\($0)" }.joined(separator: "\n")
        let yaml = "name: CI\non:\n  push:\n    branches: [main]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n\(steps)\n"
            + "  lint:\n    runs-on: ubuntu-latest\n"
        let symbols = chunker.chunks(of: yaml, path: ".github/workflows/ci.yml").compactMap(\.symbol).joined(separator: "; ")
        #expect(symbols.contains("jobs.lint") && symbols.contains("jobs.build.steps") && symbols.contains("on"), "\(symbols)")
    }
}
