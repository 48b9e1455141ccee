import Foundation
import Testing
import TestSupport

/// README Layout's table of imports against the sources (issue #32): the picture of the house stays true.
@Suite("Layout")
struct LayoutTests {
    static let repository = Repository.root

    static let systemModules: Set<String> = ["Foundation", "FoundationNetworking", "Glibc", "Darwin", "Dispatch", "Synchronization"]

    /// The Swift files under a folder, relative to it.
    static func swiftFiles(under folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []).filter { $0.hasSuffix(".swift") }
    }

    /// Each module's imports, read from its Swift files.
    static func imports() throws -> [String: Set<String>] {
        let sources = repository + "/Sources"
        var table: [String: Set<String>] = [:]
        for module in try FileManager.default.contentsOfDirectory(atPath: sources) {
            let files = Self.swiftFiles(under: sources + "/" + module)
            for file in files {
                for line in try String(contentsOfFile: sources + "/" + module + "/" + file, encoding: .utf8).split(separator: "\n") {
                    let words = line.split(separator: " ")
                    guard let index = words.firstIndex(of: "import"), index <= 1, index + 1 < words.count,
                          index == 0 || words[0].hasPrefix("@") else { continue }
                    let name = String(words[index + 1])
                    if !systemModules.contains(name) { table[module, default: []].insert(name) }
                }
            }
        }
        return table
    }

    /// The table between `<!-- imports -->` and `<!-- /imports -->` in README.md.
    static func documented() throws -> [String: Set<String>] {
        let readme = try String(contentsOfFile: repository + "/README.md", encoding: .utf8)
        guard let start = readme.range(of: "<!-- imports -->"), let end = readme.range(of: "<!-- /imports -->") else { return [:] }
        var table: [String: Set<String>] = [:]
        for line in readme[start.upperBound..<end.lowerBound].split(separator: "\n") where line.contains("→") {
            let parts = line.split(separator: "→", maxSplits: 1)
            let module = parts[0].trimmingCharacters(in: .whitespaces)
            table[module] = Set(parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        }
        return table
    }

    @Test("Given README Layout's table of imports, when compared with every source file's imports, then they agree module by module")
    func tableMatchesTheSources() throws {
        let actual = try Self.imports()
        let documented = try Self.documented()
        #expect(!documented.isEmpty, "README.md has no <!-- imports --> table")
        for module in Set(actual.keys).union(documented.keys).sorted() {
            #expect(actual[module] == documented[module],
                    "\(module): the sources import \((actual[module] ?? []).sorted()), README says \((documented[module] ?? []).sorted())")
        }
    }

    /// Each target's dependencies in Package.swift (modules and products by name).
    static func declaredDependencies() throws -> [String: Set<String>] {
        let manifest = try String(contentsOfFile: repository + "/Package.swift", encoding: .utf8)
        var table: [String: Set<String>] = [:]
        // `.target(name: "X", dependencies: [...])` and `.executableTarget(name: "X", dependencies: [...])`.
        let pattern = #/\.(?:target|executableTarget|testTarget)\(\s*name:\s*"(\w+)"\s*,\s*dependencies:\s*\[(.*?)\]\s*(?:,|\))/#.dotMatchesNewlines()
        for match in manifest.matches(of: pattern) {
            let names = String(match.output.2).matches(of: #/"(\w+)"/#).map { String($0.output.1) }
            table[String(match.output.1)] = Set(names)
        }
        return table
    }

    @Test("Given Package.swift, when every module's imports are read, then each imports only what its target declares")
    func importsAreDeclared() throws {
        let declared = try Self.declaredDependencies()
        #expect(declared["qwery"] != nil && declared["TUI"] != nil && declared["QweryCore"] != nil, "\(declared.keys.sorted())")
        let system: Set<String> = ["CNcurses", "CBLAS", "CXML2", "CTreeSitter", "CYAML"]
        for (module, imports) in try Self.imports() {
            guard let dependencies = declared[module] else { continue }  // system-library and dependency-free targets
            let undeclared = imports.subtracting(dependencies).subtracting(system.intersection(dependencies))
            #expect(undeclared.isEmpty, "\(module) imports \(undeclared.sorted()) without declaring them in Package.swift")
        }
    }

    @Test("Given the faces (screen, MCP server, commands), when their imports are read, then none reaches Store, Engine, Indexing or Search, and nothing is re-exported")
    func facesSpeakTheCore() throws {
        let imports = try Self.imports()
        let below: Set<String> = ["Store", "Engine", "Indexing", "Search", "Corpus", "Documents"]
        for face in ["TUI", "MCPServer", "qwery"] {
            #expect((imports[face] ?? []).contains("QweryCore"), "\(face) does not import QweryCore")
            #expect((imports[face] ?? []).isDisjoint(with: below), "\(face) imports \((imports[face] ?? []).intersection(below).sorted())")
        }
        // The screen and the MCP server: QweryCore and their own libraries only.
        #expect(imports["TUI"] == ["QweryCore", "CNcurses"])
        #expect(imports["MCPServer"] == ["QweryCore", "MCP", "Logging"])
        let sources = Self.repository + "/Sources"
        let files = Self.swiftFiles(under: sources)
        #expect(files.count > 100)
        for file in files {
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            #expect(!text.contains("@_exported"), "\(file) re-exports a module")
        }
    }

    @Test("Given every source file, when searched for process starts, then posix_spawn is called from one file (ChildProcess) and Foundation's Process from none")
    func oneSpawningHelper() throws {
        let sources = Self.repository + "/Sources"
        let files = Self.swiftFiles(under: sources)
        var spawning: [String] = []
        for file in files {
            let code = try String(contentsOfFile: sources + "/" + file, encoding: .utf8).split(separator: "\n")
                .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
            if code.contains("posix_spawn(") || code.contains("posix_spawnp(") { spawning.append(file) }
            #expect(!code.contains("Process()"), "\(file) starts a Foundation Process")
        }
        #expect(spawning == ["Corpus/ChildProcess.swift"])
    }

    @Test("Given every source file, when searched for @unchecked Sendable, then there are at most 8, each with its lock (or why none is needed) named in the comment above it")
    func uncheckedSendableIsNamed() throws {
        let sources = Self.repository + "/Sources"
        let files = Self.swiftFiles(under: sources)
        var found: [String] = []
        for file in files {
            let lines = try String(contentsOfFile: sources + "/" + file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() where line.contains(": @unchecked Sendable") || line.contains(", @unchecked Sendable") {
                guard !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") else { continue }
                found.append(file)
                let comment = lines[..<index].reversed().prefix { $0.trimmingCharacters(in: .whitespaces).hasPrefix("///") }.joined(separator: " ")
                #expect(comment.contains("lock"), "\(file): the @unchecked Sendable at line \(index + 1) does not say which lock guards it (or why none is needed)")
            }
        }
        #expect(!found.isEmpty && found.count <= 8, "\(found)")
    }

    @Test("Given Package.swift, when its Swift modules are listed, then each has a test target of its own")
    func testTargetPerModule() throws {
        let declared = try Self.declaredDependencies()
        let modules = try FileManager.default.contentsOfDirectory(atPath: Self.repository + "/Sources").filter { module in
            !Self.swiftFiles(under: Self.repository + "/Sources/" + module).isEmpty
        }
        #expect(modules.count >= 15)
        let named = ["QweryCore": "CoreTests", "qwery": "CLITests"]
        for module in modules {
            let tests = named[module] ?? module + "Tests"
            #expect(declared[tests] != nil, "\(module) has no test target (\(tests))")
        }
    }

    @Test("Given a package whose only product is the qwery executable, when its sources are read, then nothing is declared public: what crosses modules is package")
    func nothingIsPublic() throws {
        let sources = Self.repository + "/Sources"
        var declared: [String] = []
        for file in Self.swiftFiles(under: sources) {
            for (index, line) in try String(contentsOfFile: sources + "/" + file, encoding: .utf8).split(separator: "\n").enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if !code.hasPrefix("//"), code.hasPrefix("public ") || code.contains(" public ") { declared.append("\(file):\(index + 1)") }
            }
        }
        #expect(declared.isEmpty, "\(declared.prefix(10))")
        let manifest = try String(contentsOfFile: Self.repository + "/Package.swift", encoding: .utf8)
        #expect(manifest.contains(".executable(name: \"qwery\"") && !manifest.contains(".library("))
    }
}
