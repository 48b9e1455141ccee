import Foundation
import Testing

/// README Layout's table of imports against the sources (issue #32): the picture of the house stays true.
@Suite("Layout")
struct LayoutTests {
    static let repository: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let systemModules: Set<String> = ["Foundation", "FoundationNetworking", "Glibc", "Darwin", "Dispatch", "Synchronization"]

    /// Each module's imports, read from its Swift files.
    static func imports() throws -> [String: Set<String>] {
        let sources = repository + "/Sources"
        var table: [String: Set<String>] = [:]
        for module in try FileManager.default.contentsOfDirectory(atPath: sources) {
            let files = (FileManager.default.enumerator(atPath: sources + "/" + module)?.compactMap { $0 as? String } ?? []).filter { $0.hasSuffix(".swift") }
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
}
