import Foundation
import Testing

/// Issue #24's "done when" through the binary: one file per language, each a type `Ledger` with three long
/// methods and a word of its own in the middle one (Tests/Fixtures/code/make_code.py).
@Suite("Code symbols through the commands", .serialized)
struct CodeSymbolCommandTests {
    static let code = QweryProcess.fixtures + "/code"
    /// (file, its marker word, the middle method's symbol).
    static let languages: [(file: String, marker: String, symbol: String)] = [
        ("ledger.py", "axolotl", "Ledger.reconcile"), ("ledger.js", "bandicoot", "Ledger.reconcile"),
        ("ledger.go", "capybara", "Ledger.Reconcile"), ("ledger.rs", "dugong", "Ledger::reconcile"),
        ("ledger.c", "echidna", "ledger_reconcile"), ("Ledger.java", "fossa", "Ledger.reconcile"),
        ("ledger.ts", "gharial", "Ledger.reconcile"), ("Ledger.swift", "hoatzin", "Ledger.reconcile"),
        ("Ledger.cs", "ibex", "Ledger.Reconcile"), ("Ledger.kt", "jerboa", "Ledger.reconcile"),
        ("Ledger.scala", "kinkajou", "Ledger.reconcile"), ("ledger.lua", "lemur", "Ledger:reconcile"),
        ("Ledger.php", "margay", "Ledger::reconcile"),
    ]

    /// The grammars `./dev.sh` installed for this user (the scratch environment moves XDG_DATA_HOME).
    static var grammars: String {
        let environment = ProcessInfo.processInfo.environment
        if let folder = environment["QWERY_GRAMMARS"], !folder.isEmpty { return folder }
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.local/share"
        return data + "/qwery/grammars"
    }

    final class Tree {
        let scratch: HostileCommandTests.Scratch
        let database: String

        init(grammars: String = CodeSymbolCommandTests.grammars) throws {
            scratch = try HostileCommandTests.Scratch()
            try FileManager.default.createDirectory(atPath: scratch.root + "/src", withIntermediateDirectories: true)
            for file in CodeSymbolCommandTests.languages.map(\.file) {
                try FileManager.default.copyItem(atPath: CodeSymbolCommandTests.code + "/" + file, toPath: scratch.root + "/src/" + file)
            }
            database = scratch.root + "/index.sqlite"
            let indexed = try scratch.qwery(["index", scratch.root + "/src", "--db", database], environment: ["QWERY_GRAMMARS": grammars])
            #expect(indexed.status == 0, "\(indexed.standardError)")
        }

        func search(_ query: String, _ extra: [String] = []) throws -> [[String: Any]] {
            let result = try scratch.qwery(["search", query, "--json", "--db", database] + extra)
            return result.standardOutput.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
    }

    @Test("Given one file per language, when each marker is searched, then its file comes first as the middle method's chunk, with its symbol")
    func markerFindsMethod() throws {
        try #require(FileManager.default.fileExists(atPath: Self.grammars + "/python/parser.so"),
                     "no grammars in \(Self.grammars): run ./dev.sh test (or qwery grammars install)")
        let tree = try Tree()
        for (file, marker, symbol) in Self.languages {
            let first = try #require(try tree.search(marker).first, "\(marker) found nothing")
            #expect((first["path"] as? String)?.hasSuffix("/" + file) == true, "\(marker): \(first["path"] ?? "")")
            #expect(first["symbol"] as? String == symbol, "\(file): \(first["symbol"] ?? "nil")")
            #expect(first["context"] as? String == symbol)
        }
    }

    @Test("Given sym:reconcile, when searched, then only chunks whose symbol matches come back; sym:Ledger.* keeps every Ledger method")
    func symbolFilter() throws {
        try #require(FileManager.default.fileExists(atPath: Self.grammars + "/python/parser.so"))
        let tree = try Tree()
        let reconcile = try tree.search("balance sym:reconcile", ["--limit", "50"])
        #expect(!reconcile.isEmpty)
        for row in reconcile {
            let symbol = (row["symbol"] as? String ?? "").lowercased()
            #expect(symbol.hasSuffix("reconcile"), "\(row["path"] ?? ""): \(symbol)")
        }
        func files(_ rows: [[String: Any]]) -> Set<String> {
            Set(rows.compactMap { ($0["path"] as? String).map { ($0 as NSString).lastPathComponent } })
        }
        // The C function is named ledger_reconcile: its own name is not "reconcile", but *reconcile matches it.
        #expect(files(reconcile) == ["ledger.py", "ledger.js", "ledger.go", "ledger.rs", "Ledger.java", "ledger.ts", "Ledger.swift",
                                     "Ledger.cs", "Ledger.kt", "Ledger.scala", "ledger.lua", "Ledger.php"])
        #expect(files(try tree.search("balance sym:*reconcile", ["--limit", "50"])).contains("ledger.c"))
        let ledger = try tree.search("balance sym:Ledger.*", ["--limit", "50"])
        let symbols = Set(ledger.flatMap { ($0["symbol"] as? String ?? "").components(separatedBy: ", ") })
        #expect(symbols.isSuperset(of: ["Ledger.open", "Ledger.reconcile", "Ledger.close", "Ledger.Open"]), "\(symbols)")
        #expect(!symbols.contains("ledger_open") && !symbols.contains("Ledger::open"), "Rust, PHP and C paths do not match Ledger.*")
    }

    @Test("Given a query of filters alone, when searched, then it lists what they keep: exact symbol names first, else path and line order, nothing reranked")
    func filtersAlone() throws {
        try #require(FileManager.default.fileExists(atPath: Self.grammars + "/python/parser.so"))
        let tree = try Tree()
        let reranker = ["--reranker", QweryProcess.fixtures + "/models/tiny-causal"]
        let reconcile = try tree.search("sym:reconcile", reranker + ["--limit", "50"])
        #expect(reconcile.count == 12, "every language but C, whose function is ledger_reconcile: \(reconcile.map { $0["symbol"] ?? "" })")
        #expect(reconcile.allSatisfy { ($0["symbol"] as? String)?.lowercased().hasSuffix("reconcile") == true })
        #expect(reconcile.allSatisfy { (($0["scores"] as? [String: Any])?["rerank"]).map { $0 is NSNull } ?? false },
                "nothing to rerank against: \(reconcile.first ?? [:])")
        #expect(reconcile.allSatisfy { (($0["scores"] as? [String: Any])?["lexical"]).map { $0 is NSNull } ?? false && $0["lexical_rank"] is NSNull },
                "a listing is no lexical match: \(reconcile.first ?? [:])")
        // `Ledger` names the type exactly: the chunks holding it come before those `sym:Ledger` matches otherwise.
        let ledger = try tree.search("sym:Ledger", ["--limit", "50"])
        let symbols = ledger.map { ($0["symbol"] as? String ?? "").components(separatedBy: ", ") }
        #expect(symbols.count >= 7 && symbols.prefix(7).allSatisfy { $0.contains("Ledger") }, "\(symbols)")
        // Go to the definition: the best line is the signature, not the doc comment above it.
        let vimgrep = try tree.scratch.qwery(["search", "sym:reconcile", "--vimgrep", "--db", tree.database, "--limit", "50"])
        let goLine = vimgrep.standardOutput.split(separator: "\n").first { $0.contains("ledger.go:") }.map(String.init) ?? ""
        #expect(goLine.contains("ledger.go:29:18:func (l *Ledger) Reconcile(amount int) int {"), "\(vimgrep.standardOutput)")
        let plain = try tree.scratch.qwery(["search", "sym:reconcile", "--db", tree.database, "--limit", "1"])
        #expect(plain.standardOutput.contains(".Reconcile  listed\n") && !plain.standardOutput.contains("fused"),
                "a listing says so instead of a fused score: \(plain.standardOutput)")
        // A file's outline: every chunk with a symbol, in line order.
        let outline = try tree.search("path:Ledger.swift sym:*")
        #expect(outline.map { $0["start_line"] as? Int ?? 0 } == [1, 27, 48], "\(outline.map { ($0["start_line"] ?? 0, $0["symbol"] ?? "") })")
        let swift = try tree.search("lang:swift")
        #expect(swift.map { $0["start_line"] as? Int ?? 0 } == [1, 27, 48], "\(swift.map { ($0["start_line"] ?? 0, $0["symbol"] ?? "") })")
        #expect(swift.allSatisfy { ($0["path"] as? String)?.hasSuffix("/Ledger.swift") == true })
    }

    @Test("Given no grammars at all, when the same tree is indexed, then every file is still found, and definitions written with a keyword are its symbols")
    func missingGrammarsFallBack() throws {
        let tree = try Tree(grammars: "/nonexistent/grammars")
        // Methods declared with a keyword (def, func, fn, fun, function); Java, C#, C, and JavaScript and TypeScript class
        // methods have none: their chunks hold the class's name at most.
        let keyworded: Set<String> = ["ledger.py", "ledger.go", "ledger.rs", "Ledger.swift", "Ledger.kt", "Ledger.scala", "ledger.lua", "Ledger.php"]
        func ownName(_ symbol: String) -> String { String(symbol.split(whereSeparator: { ":#.".contains($0) }).last ?? Substring(symbol)) }
        for (file, marker, symbol) in Self.languages {
            let first = try #require(try tree.search(marker).first)
            #expect((first["path"] as? String)?.hasSuffix("/" + file) == true)
            let held = (first["symbol"] as? String)?.split(separator: ",").map { ownName($0.trimmingCharacters(in: .whitespaces)) } ?? []
            if keyworded.contains(file) { #expect(held.contains(ownName(symbol)), "\(file): \(held)") }
        }
        let listed = Set(try tree.search("sym:reconcile", ["--limit", "50"]).compactMap { ($0["path"] as? String).map { ($0 as NSString).lastPathComponent } })
        #expect(listed == keyworded, "\(listed.sorted())")
    }
}

extension CodeSymbolCommandTests {
    @Test("Given a tree indexed without grammars, when indexed again once they are installed, then its unchanged code files are chunked again by syntax, and a third run finds nothing to do")
    func grammarsInstalledLaterRechunk() throws {
        try #require(FileManager.default.fileExists(atPath: Self.grammars + "/rust/parser.so"),
                     "no grammars in \(Self.grammars): run ./dev.sh test (or qwery grammars install)")
        let tree = try Tree(grammars: "/nonexistent/grammars")
        func rustSymbol() throws -> String? {
            try tree.search("dugong").first { ($0["path"] as? String)?.hasSuffix("/ledger.rs") == true }?["symbol"] as? String
        }
        #expect(try rustSymbol() == "reconcile", "found by keyword without a grammar")
        let files = Self.languages.count
        let again = try tree.scratch.qwery(["index", tree.scratch.root + "/src", "--db", tree.database], environment: ["QWERY_GRAMMARS": Self.grammars])
        #expect(again.status == 0 && again.standardError.contains("indexed \(files) files")
                && again.standardError.contains("\(files) of them unchanged but chunked again"), "\(again.standardError)")
        #expect(try rustSymbol() == "Ledger::reconcile", "parsed by its grammar now")
        let third = try tree.scratch.qwery(["index", tree.scratch.root + "/src", "--db", tree.database], environment: ["QWERY_GRAMMARS": Self.grammars])
        #expect(third.standardError.contains("indexed 0 files (0 chunks), \(files) unchanged"), "\(third.standardError)")
        // Without the grammars again (uninstalled): chunked by indentation once more.
        let without = try tree.scratch.qwery(["index", tree.scratch.root + "/src", "--db", tree.database], environment: ["QWERY_GRAMMARS": "/nonexistent/grammars"])
        #expect(without.standardError.contains("indexed \(files) files"), "\(without.standardError)")
        #expect(try rustSymbol() == "reconcile")
    }

    @Test("Given no way to reach PyPI, when grammars are installed, then the command fails naming the download, installs nothing, and list says missing")
    func installWithoutPyPI() throws {
        let scratch = try HostileCommandTests.Scratch()
        // A python3 that cannot download anything, first on PATH.
        try FileManager.default.createDirectory(atPath: scratch.root + "/bin", withIntermediateDirectories: true)
        let fake = scratch.root + "/bin/python3"
        try "#!/bin/sh\necho 'ERROR: Could not find a version that satisfies the requirement' >&2\nexit 1\n".write(toFile: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake)
        let folder = scratch.root + "/grammars"
        let environment = ["QWERY_GRAMMARS": folder, "PATH": scratch.root + "/bin:/usr/bin:/bin"]
        let install = try scratch.qwery(["grammars", "install", "rust"], environment: environment)
        #expect(install.status == 1, "a failed download is no usage error (64)")
        #expect(!install.standardError.contains("Usage:") && !install.standardError.contains("--help"), "\(install.standardError)")
        #expect(install.standardError.contains("cannot download tree-sitter 0.23.2 from PyPI"), "\(install.standardError)")
        #expect(install.standardError.contains("rust keeps the indentation chunker"), "\(install.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/rust"))
        let list = try scratch.qwery(["grammars"], environment: environment)
        #expect(list.status == 0 && list.standardOutput.contains("rust       .rs                    missing (qwery grammars install rust); indentation chunks"), "\(list.standardOutput)")
    }
}

extension CodeSymbolCommandTests {
    @Test("Given a grammar whose parser crashes, when a tree is indexed, then the worker dies, not qwery: each file is indexed by indentation and named with the signal")
    func crashingGrammarCostsOneFile() throws {
        let scratch = try HostileCommandTests.Scratch()
        // A "python" grammar that loads (ABI 14) but whose tables are all null: parsing anything crashes.
        let grammar = scratch.root + "/grammars/python"
        try FileManager.default.createDirectory(atPath: grammar, withIntermediateDirectories: true)
        let source = scratch.root + "/crash.c"
        try "#include <stdint.h>\nstatic uint32_t language[128];\nconst void *tree_sitter_python(void) { language[0] = 14; return language; }\n"
            .write(toFile: source, atomically: true, encoding: .utf8)
        let compiled = try ChildProcess.run("/usr/bin/env", ["cc", "-shared", "-fPIC", "-o", grammar + "/parser.so", source])
        try #require(compiled.status == 0, "cc: \(compiled.standardError)")
        try FileManager.default.createDirectory(atPath: scratch.root + "/src", withIntermediateDirectories: true)
        try "def first():\n    return 'okapi'\n".write(toFile: scratch.root + "/src/a.py", atomically: true, encoding: .utf8)
        try "def second():\n    return 'quokka'\n".write(toFile: scratch.root + "/src/b.py", atomically: true, encoding: .utf8)
        try "# Notes\n\nThe numbat stays.\n".write(toFile: scratch.root + "/src/notes.md", atomically: true, encoding: .utf8)
        let database = scratch.root + "/index.sqlite"
        let environment = ["QWERY_GRAMMARS": scratch.root + "/grammars"]
        let indexed = try scratch.qwery(["index", scratch.root + "/src", "--db", database], environment: environment)
        #expect(indexed.status == 0, "\(indexed.standardError)")
        #expect(indexed.standardError.contains("indexed 3 files"), "\(indexed.standardError)")
        let lines = indexed.standardError.split(separator: "\n").filter { $0.contains("syntax worker") }
        #expect(lines.count == 2 && lines.allSatisfy { $0.contains("stopped on it (signal") && $0.contains("chunked by indentation") },
                "one line per file, each worker restarted: \(indexed.standardError)")
        #expect(lines.contains { $0.contains("/src/a.py") } && lines.contains { $0.contains("/src/b.py") })
        // Chunked by indentation, their definitions found by keyword; the notes hold none.
        for (word, symbol) in [("okapi", "\"symbol\":\"first\""), ("quokka", "\"symbol\":\"second\""), ("numbat", "\"symbol\":null")] {
            let found = try scratch.qwery(["search", word, "--json", "--db", database], environment: environment)
            #expect(found.status == 0 && found.standardOutput.contains(symbol), "\(word): \(found.standardOutput)")
        }
    }
}

extension CodeSymbolCommandTests {
    @Test("Given a YAML workflow, when indexed through the binary, then its chunks carry key paths from the syntax worker and sym: finds them")
    func yamlThroughTheWorker() throws {
        let scratch = try HostileCommandTests.Scratch()
        try FileManager.default.createDirectory(atPath: scratch.root + "/ci", withIntermediateDirectories: true)
        let stepLines = (1...30).map { "      - name: Step \($0) builds tool number \($0)\n        run: swift build --product tool-\($0)" }.joined(separator: "\n")
        let workflow = "name: CI\non:\n  push:\n    branches: [main]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n\(stepLines)\n"
            + "  deploy:\n    runs-on: ubuntu-latest\n    environment: pangolin-production\n"
        try workflow.write(toFile: scratch.root + "/ci/workflow.yml", atomically: true, encoding: .utf8)
        let database = scratch.root + "/index.sqlite"
        let indexed = try scratch.qwery(["index", scratch.root + "/ci", "--db", database], environment: ["QWERY_GRAMMARS": Self.grammars])
        #expect(indexed.status == 0 && !indexed.standardError.contains("warning"), "\(indexed.standardError)")
        func search(_ query: String) throws -> [[String: Any]] {
            let result = try scratch.qwery(["search", query, "--json", "--db", database, "--limit", "50"])
            return result.standardOutput.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
        let deploy = try #require(try search("pangolin").first)
        #expect((deploy["symbol"] as? String)?.contains("jobs.deploy") == true, "\(deploy)")
        let steps = try search("sym:jobs.build.steps")
        #expect(!steps.isEmpty && steps.allSatisfy { ($0["symbol"] as? String)?.contains("jobs.build.steps") == true }, "\(steps.map { $0["symbol"] ?? "" })")
    }
}

extension CodeSymbolCommandTests {
    @Test("Given a grammar whose highlights.scm names a node it lacks, when grammars are listed, then the line says how many patterns are left out")
    func listCountsDroppedPatterns() throws {
        try #require(FileManager.default.fileExists(atPath: Self.grammars + "/python/parser.so"))
        let scratch = try HostileCommandTests.Scratch()
        let folder = scratch.root + "/grammars/python"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for file in ["parser.so", "VERSION", "RECIPE"] {
            try FileManager.default.copyItem(atPath: Self.grammars + "/python/" + file, toPath: folder + "/" + file)
        }
        try "(identifier) @variable\n(interface_declaration) @type\n\"def\" @keyword\n".write(toFile: folder + "/highlights.scm", atomically: true, encoding: .utf8)
        let list = try scratch.qwery(["grammars"], environment: ["QWERY_GRAMMARS": scratch.root + "/grammars"])
        let line = list.standardOutput.split(separator: "\n").first { $0.hasPrefix("python ") }.map(String.init) ?? ""
        #expect(line.hasSuffix("installed 0.23.6; 1 highlight pattern(s) do not fit it and are left out"), "\(list.standardOutput)")
    }
}

extension CodeSymbolCommandTests {
    @Test("Given a grammar whose language function aborts and one cut short, when status, config, grammars and index run, then each finishes and the grammars are unusable with the reason")
    func grammarsThatCrashWhenLoaded() throws {
        let scratch = try HostileCommandTests.Scratch()
        let folder = scratch.root + "/grammars"
        // rust: the language function calls abort(); python: a parser.so truncated to half its bytes.
        try FileManager.default.createDirectory(atPath: folder + "/rust", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/python", withIntermediateDirectories: true)
        let source = scratch.root + "/abort.c"
        try "#include <stdlib.h>\nconst void *tree_sitter_rust(void) { abort(); }\nconst void *tree_sitter_python(void) { abort(); }\n"
            .write(toFile: source, atomically: true, encoding: .utf8)
        let compiled = try ChildProcess.run("/usr/bin/env", ["cc", "-shared", "-fPIC", "-o", folder + "/rust/parser.so", source])
        try #require(compiled.status == 0, "cc: \(compiled.standardError)")
        let whole = try Data(contentsOf: URL(fileURLWithPath: folder + "/rust/parser.so"))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: folder + "/python/parser.so"))
        try FileManager.default.createDirectory(atPath: scratch.root + "/src", withIntermediateDirectories: true)
        try "fn main() { println!(\"wombat\"); }\n".write(toFile: scratch.root + "/src/main.rs", atomically: true, encoding: .utf8)
        try "def f():\n    return 'numbat'\n".write(toFile: scratch.root + "/src/a.py", atomically: true, encoding: .utf8)
        let database = scratch.root + "/index.sqlite"
        let environment = ["QWERY_GRAMMARS": folder]

        let indexed = try scratch.qwery(["index", scratch.root + "/src", "--db", database], environment: environment)
        #expect(indexed.status == 0, "\(indexed.status): \(indexed.standardError)")
        #expect(indexed.standardError.contains("indexed 2 files"), "\(indexed.standardError)")
        for command in [["status", "--db", database], ["config"], ["grammars"]] {
            let result = try scratch.qwery(command, environment: environment)
            #expect(result.status == 0, "\(command): exit \(result.status) \(result.standardError)")
        }
        let list = try scratch.qwery(["grammars"], environment: environment)
        let rust = list.standardOutput.split(separator: "\n").first { $0.hasPrefix("rust ") } ?? ""
        #expect(rust.contains("unusable: loading it crashed the syntax worker (signal 6)"), "\(list.standardOutput)")
        let python = list.standardOutput.split(separator: "\n").first { $0.hasPrefix("python ") } ?? ""
        #expect(python.contains("unusable"), "\(list.standardOutput)")
        let found = try scratch.qwery(["search", "wombat", "--json", "--db", database], environment: environment)
        #expect(found.status == 0 && found.standardOutput.contains("main.rs"), "\(found.standardOutput)")
    }
}
