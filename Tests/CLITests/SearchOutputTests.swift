import Foundation
import Testing

/// `qwery search` as editors and scripts use it: grep-style output modes, exit statuses, escapes made
/// visible, and read-only opening (issues #15 and #16), through the real binary on a lexical index.
@Suite("Search output")
struct SearchOutputTests {
    /// A folder with two notes (one full of terminal escapes) indexed lexically into its own database.
    final class IndexedFolder {
        let root: String
        let database: String
        let environment: [String: String]

        init() throws {
            let base = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-search-\(UUID().uuidString)")
            root = base.resolvingSymlinksInPath().path
            try FileManager.default.createDirectory(atPath: root + "/notes", withIntermediateDirectories: true)
            try "# Budget\n\nThe budget for March is tight.\nSave on travel.\n".write(toFile: root + "/notes/budget.md", atomically: true, encoding: .utf8)
            try "line one\n\u{1B}]0;pwned\u{07}\u{1B}[2J hostile budget\u{08}\u{08}\n".write(toFile: root + "/notes/hostile.md", atomically: true, encoding: .utf8)
            database = root + "/index.sqlite"
            environment = ["QWERY_MODEL": "", "QWERY_RERANKER": "", "QWERY_CONFIG": root + "/none.toml", "NO_COLOR": "1",
                           "XDG_DATA_HOME": root + "/data", "HF_HOME": root + "/hf",
                           "QWERY_TOKENIZER": QweryProcess.fixtures + "/tokenizer/qwen3-tokenizer.json"]
            let indexed = try QweryProcess.run(["index", root + "/notes", "--db", database], environment: environment)
            #expect(indexed.status == 0, "\(indexed.standardError)")
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }

        func search(_ arguments: [String]) throws -> QweryProcess.Result {
            try QweryProcess.run(["search"] + arguments + ["--db", database], environment: environment)
        }
    }

    @Test("Given a file with escape sequences, when searched in plain and -C output, then no control byte reaches stdout and they show as ^[")
    func escapesAreMadeVisible() throws {
        let folder = try IndexedFolder()
        for arguments in [["hostile"], ["hostile", "-C", "1"], ["hostile", "--explain"], ["hostile", "--vimgrep"]] {
            let result = try folder.search(arguments)
            #expect(result.status == 0, "\(arguments): \(result.standardError)")
            #expect(!result.standardOutput.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(arguments): \(result.standardOutput.debugDescription)")
            #expect(result.standardOutput.contains("^[]0;pwned^G^[[2J hostile budget^H^H"), "\(arguments): \(result.standardOutput)")
        }
        let json = try folder.search(["hostile", "--json"])
        #expect(!json.standardOutput.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "JSON escapes control characters")
        let record = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.split(separator: "\n")[0].utf8)) as? [String: Any])
        #expect((record["snippet"] as? String)?.contains("\u{1B}]0;pwned\u{07}") == true, "JSON stays exact: \(json.standardOutput)")
    }

    @Test("Given a lexical-only index, when searched with --json, then each line is one record with every key, absent scores as null")
    func jsonRecords() throws {
        let folder = try IndexedFolder()
        let result = try folder.search(["budget", "--json", "--limit", "2"])
        let lines = result.standardOutput.split(separator: "\n")

        #expect(result.status == 0 && lines.count == 2, "\(result.standardOutput)")
        let record = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(Set(record.keys) == ["rank", "path", "start_line", "end_line", "symbol", "context", "snippet", "scores", "vector_rank",
                                     "lexical_rank", "rank_before_rerank", "identical_paths", "coverage"])
        #expect(record["symbol"] is NSNull, "a Markdown chunk has no symbol")
        #expect(record["rank"] as? Int == 1)
        #expect((record["path"] as? String)?.hasSuffix(".md") == true)
        let scores = try #require(record["scores"] as? [String: Any])
        #expect(scores["vector"] is NSNull && scores["rerank"] is NSNull)
        #expect((scores["lexical"] as? Double ?? 0) > 0 && (scores["fused"] as? Double ?? 0) > 0)
        #expect(record["vector_rank"] is NSNull && record["lexical_rank"] as? Int == 1)
        #expect((record["coverage"] as? [String: Any])?["vectors"] as? Int == 0)
    }

    @Test("Given one changelog copied into three packages, when searched, then it is one result naming the two others, and -l and --vimgrep still give each file")
    func identicalFilesAreOneResult() throws {
        let folder = try IndexedFolder()
        for package in ["gpg", "gpgv", "gpg-agent"] {
            try FileManager.default.createDirectory(atPath: folder.root + "/notes/\(package)", withIntermediateDirectories: true)
            try "Fixed the keyring quokka migration.\n".write(toFile: folder.root + "/notes/\(package)/changelog", atomically: true, encoding: .utf8)
        }
        let indexed = try QweryProcess.run(["index", folder.root + "/notes", "--db", folder.database], environment: folder.environment)
        #expect(indexed.status == 0)
        let json = try folder.search(["quokka", "--json"])
        let records = json.standardOutput.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(records.count == 1, "\(json.standardOutput)")
        #expect((records.first?["identical_paths"] as? [String])?.count == 2)
        let plain = try folder.search(["quokka"])
        #expect(plain.standardOutput.contains("+2 identical"), "\(plain.standardOutput)")
        let files = try folder.search(["quokka", "-l"])
        #expect(files.standardOutput.split(separator: "\n").count == 3, "\(files.standardOutput)")
        let vimgrep = try folder.search(["quokka", "--vimgrep"])
        #expect(vimgrep.standardOutput.split(separator: "\n").count == 3 && vimgrep.standardOutput.contains("/gpg-agent/changelog:1:"), "\(vimgrep.standardOutput)")
    }

    @Test("Given a match after accented letters, when searched with --vimgrep, then the column counts bytes as ripgrep and Vim do")
    func vimgrepColumnsAreBytes() throws {
        let folder = try IndexedFolder()
        try "Crème brûlée déjà vu columnword\n".write(toFile: folder.root + "/notes/dessert.md", atomically: true, encoding: .utf8)
        let indexed = try QweryProcess.run(["index", folder.root + "/notes", "--db", folder.database], environment: folder.environment)
        #expect(indexed.status == 0)
        let result = try folder.search(["columnword", "--vimgrep"])
        #expect(result.standardOutput == folder.root + "/notes/dessert.md:1:27:Crème brûlée déjà vu columnword\n", "\(result.standardOutput)")
    }

    @Test("Given a word deep inside a 200 KB one-line file, when searched with --vimgrep, then its column counts from the line's start, not the piece's")
    func vimgrepColumnOnALongLine() throws {
        let folder = try IndexedFolder()
        let words = (0..<20_000).map { "word\($0)" }
        let line = words.prefix(15_000).joined(separator: " ") + " farthestwombat " + words.suffix(5_000).joined(separator: " ")
        try (line + "\n").write(toFile: folder.root + "/notes/minified.txt", atomically: true, encoding: .utf8)
        let indexed = try QweryProcess.run(["index", folder.root + "/notes", "--db", folder.database], environment: folder.environment)
        #expect(indexed.status == 0)
        let result = try folder.search(["farthestwombat", "--vimgrep"])
        let expected = line.utf8.count - (" farthestwombat " + words.suffix(5_000).joined(separator: " ")).utf8.count + 2
        #expect(result.standardOutput.hasPrefix(folder.root + "/notes/minified.txt:1:\(expected):"), "\(result.standardOutput.prefix(200)) expected column \(expected)")
    }

    @Test("Given five binary files and two over the size limit, when status is printed, then skipped files are grouped by reason with counts and examples, and --skipped lists each")
    func statusGroupsSkippedFiles() throws {
        let folder = try IndexedFolder()
        for name in ["a", "b", "c", "d", "e"] {
            FileManager.default.createFile(atPath: folder.root + "/notes/\(name).bin", contents: Data([0x41, 0, 0x42]))
        }
        for name in ["big1", "big2"] {
            try String(repeating: "long text ", count: 40).write(toFile: folder.root + "/notes/\(name).md", atomically: true, encoding: .utf8)
        }
        let indexed = try QweryProcess.run(["index", folder.root + "/notes", "--db", folder.database, "--max-file-size", "200"],
                                           environment: folder.environment)
        #expect(indexed.status == 0, "\(indexed.standardError)")
        let status = try QweryProcess.run(["status", "--db", folder.database], environment: folder.environment)
        let lines = status.standardOutput.split(separator: "\n").map(String.init).filter { $0.hasPrefix("skipped") }
        #expect(lines == [
            "skipped 5: binary (contains NUL bytes) — a.bin, b.bin, c.bin (+2 more; qwery status --skipped lists them)",
            "skipped 2: larger than the 200 bytes limit — big1.md, big2.md",
        ], "\(status.standardOutput)")
        let all = try QweryProcess.run(["status", "--db", folder.database, "--skipped"], environment: folder.environment)
        #expect(all.standardOutput.split(separator: "\n").filter { $0.hasPrefix("skipped: ") }.count == 7)
        #expect(all.standardOutput.contains("skipped: \(folder.root)/notes/big1.md: larger than the 200 bytes limit (400 bytes)"), "\(all.standardOutput)")
    }

    @Test("Given matches, when searched with --vimgrep and -l, then lines are path:line:column:text and paths come once each, exit 0")
    func grepStyleOutput() throws {
        let folder = try IndexedFolder()
        let vimgrep = try folder.search(["march", "--vimgrep"])
        #expect(vimgrep.status == 0)
        #expect(vimgrep.standardOutput == folder.root + "/notes/budget.md:3:16:The budget for March is tight.\n")

        let files = try folder.search(["budget", "-l"])
        #expect(files.status == 0)
        #expect(Set(files.standardOutput.split(separator: "\n")) == [Substring(folder.root + "/notes/budget.md"), Substring(folder.root + "/notes/hostile.md")])
        #expect(files.standardOutput.split(separator: "\n").count == 2)
    }

    @Test("Given a model whose nearest neighbours of a typo are weak, when the typo is searched in grep modes, then nothing is printed and the exit is 1, while plain JSON still ranks the neighbours")
    func grepModesPrintOnlyMatches() throws {
        let folder = try IndexedFolder()
        let model = QweryProcess.fixtures + "/models/tiny-embedding"
        var environment = folder.environment
        environment["QWERY_MODEL"] = model
        let indexed = try QweryProcess.run(["index", folder.root + "/notes", "--db", folder.database], environment: environment)
        #expect(indexed.status == 0, "\(indexed.standardError)")
        func search(_ arguments: [String]) throws -> QweryProcess.Result {
            try QweryProcess.run(["search"] + arguments + ["--db", folder.database, "--no-rerank"], environment: environment)
        }
        let ranked = try search(["zzqqxx", "--json"])
        #expect(ranked.status == 0 && ranked.standardOutput.contains("\"vector\":"), "by meaning, neighbours are ranked: \(ranked.standardOutput)")
        for mode in [["--vimgrep"], ["-l"], ["-C", "1"]] {
            let result = try search(["zzqqxx"] + mode)
            #expect(result.status == 1, "\(mode): \(result.standardOutput)")
            #expect(result.standardOutput.isEmpty, "\(mode)")
        }
        let found = try search(["march", "--vimgrep"])
        #expect(found.status == 0 && found.standardOutput.hasPrefix(folder.root + "/notes/budget.md:3:"), "\(found.standardOutput)")
    }

    @Test("Given a query of filters alone and a model that cannot load, when searched, then it lists without loading any model")
    func listingLoadsNoModel() throws {
        let folder = try IndexedFolder()
        // A model folder that exists but cannot load: any attempt to load it fails the command.
        let broken = folder.root + "/broken-model"
        try FileManager.default.createDirectory(atPath: broken, withIntermediateDirectories: true)
        try "{broken".write(toFile: broken + "/config.json", atomically: true, encoding: .utf8)
        try "{}".write(toFile: broken + "/tokenizer.json", atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: broken + "/model.safetensors", contents: Data())
        var environment = folder.environment
        environment["QWERY_MODEL"] = broken
        environment["QWERY_RERANKER"] = broken
        let listed = try QweryProcess.run(["search", "ext:md", "--db", folder.database, "-l"], environment: environment)
        #expect(listed.status == 0, "\(listed.standardError)")
        #expect(listed.standardOutput.split(separator: "\n").count == 2)
        let worded = try QweryProcess.run(["search", "budget", "--db", folder.database], environment: environment)
        #expect(worded.status == 2, "a query with words does load the model, and says it cannot: \(worded.standardError)")
    }

    @Test("Given no match, a usage error or a missing index, when searching, then the exit status is 1, 2 and 2 and nothing is created")
    func exitStatuses() throws {
        let folder = try IndexedFolder()
        let nothing = try folder.search(["zzzqqqxxx", "-l"])
        #expect(nothing.status == 1)
        #expect(nothing.standardOutput.isEmpty)
        let usage = try folder.search(["budget", "--vimgrep", "--json"])
        #expect(usage.status == 2)
        #expect(usage.standardError.contains("Choose one output"))

        let missing = folder.root + "/typo/index.sqlite"
        let result = try QweryProcess.run(["search", "budget", "--db", missing], environment: folder.environment)
        #expect(result.status == 2)
        #expect(result.standardError.contains("There is no index at \(missing)"))
        #expect(!FileManager.default.fileExists(atPath: folder.root + "/typo"))
        let status = try QweryProcess.run(["status", "--db", missing], environment: folder.environment)
        #expect(status.status != 0)
        #expect(!FileManager.default.fileExists(atPath: folder.root + "/typo"))
    }
}

extension SearchOutputTests {
    @Test("Given a reranker, when searched in a grep mode, then nothing is reranked unless --rerank asks; plain output reranks")
    func grepModesDoNotRerank() throws {
        let folder = try IndexedFolder()
        let models = QweryProcess.fixtures + "/models"
        let withModels = ["--model", models + "/tiny-embedding", "--reranker", models + "/tiny-causal", "--no-daemon"]
        let indexed = try QweryProcess.run(["index", folder.root + "/notes", "--db", folder.database, "--model", models + "/tiny-embedding"],
                                           environment: folder.environment)
        #expect(indexed.status == 0)
        let grep = try folder.search(["budget", "-C", "1", "--explain"] + withModels)
        #expect(grep.status == 0 && !grep.standardOutput.contains("rerank: P(yes)"), "\(grep.standardOutput)")
        let asked = try folder.search(["budget", "-C", "1", "--explain", "--rerank"] + withModels)
        #expect(asked.standardOutput.contains("rerank: P(yes)"), "\(asked.standardOutput)")
        let plain = try folder.search(["budget", "--explain"] + withModels)
        #expect(plain.standardOutput.contains("rerank: P(yes)"), "\(plain.standardOutput)")
    }
}
