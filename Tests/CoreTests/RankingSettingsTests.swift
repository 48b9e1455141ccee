import Foundation
import Testing
@testable import QweryCore

/// The config file's `[ranking]` priors (issue #31: priors configurable, demoted never hidden).
@Suite("Ranking priors from the config file")
struct RankingSettingsTests {
    @Test("Given a [ranking] table, when parsed, then its percentages become the priors, and bad keys or values are refused with their line")
    func parsing() throws {
        let config = try ConfigFile.parse("[ranking]\ntests = 100\ndocumentation = 40\n", path: "config.toml")
        #expect(config.ranking == ["tests": 100, "documentation": 40])
        let ranking = RankingSettings.ranking(config)
        #expect(ranking.testPrior == 1.0 && ranking.documentationPrior == 0.4)
        #expect(ranking.vendoredPrior == 0.4 && ranking.generatedPrior == 0.3, "the rest keep the built-in priors")
        #expect(RankingSettings.ranking(try ConfigFile.parse("[ranking]\ngenerated = 0\n", path: "c")).generatedPrior == 0.01, "demoted, never hidden")
        #expect { try ConfigFile.parse("[ranking]\ntests = 120\n", path: "c.toml") } throws: { "\($0)".contains("c.toml:2") && "\($0)".contains("0 to 100") }
        #expect { try ConfigFile.parse("x = 1\n[ranking]\nbenchmarks = 50\n", path: "c.toml") } throws: { "\($0)".contains("unknown key") }
        #expect { try ConfigFile.parse("[ranking]\nbenchmarks = 50\n", path: "c.toml") } throws: { "\($0)".contains("ranking.benchmarks") }
        let rows = RankingSettings.rows(config)
        #expect(rows.map(\.key) == RankingSettings.keys)
        #expect(rows.first { $0.key == "tests" }?.value == 100 && rows.first { $0.key == "examples" }?.value == 70)
    }

    @Test("Given a test file that matches a query better than the source it tests, when searched lexically, then it comes second by default and first with tests = 100")
    func testsPriorOrdersResults() throws {
        let base = NSTemporaryDirectory() + "qwery-ranking-\(UUID().uuidString)"
        let code = base + "/code"
        try FileManager.default.createDirectory(atPath: code + "/tests", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        try "def tokenize(text):\n    \"\"\"Split text into tokens.\"\"\"\n    return text.split()\n"
            .write(toFile: code + "/lexer.py", atomically: true, encoding: .utf8)
        try "def test_tokenize_splits_text_into_tokens():\n    assert tokenize(\"split text into tokens\") == [\"split\", \"text\"]\n"
            .write(toFile: code + "/tests/test_lexer.py", atomically: true, encoding: .utf8)
        func firstPath(_ configText: String) throws -> String? {
            let config = try ConfigFile.parse(configText, path: "config.toml")
            let settings = try Settings.resolve(.init(index: base + "/index-\(configText.count).sqlite"), environment: [:], config: config,
                                                discover: { _ in nil })
            let library = try Library(settings: settings)
            _ = try library.index(roots: [code]) { _ in }
            let parameters = SearchParameters(query: "split text into tokens", limit: 5, dimensions: nil, perFile: nil, instruction: nil, rerank: false)
            return try library.search(parameters).first.map { ($0.path as NSString).lastPathComponent }
        }
        #expect(try firstPath("") == "lexer.py")
        #expect(try firstPath("[ranking]\ntests = 100\n") == "test_lexer.py")
    }

    @Test("Given a setting defined in code and explained in the docs, when its name is searched, then the notes preset leads with the definition and the docs preset with the page that explains it")
    func docsPreset() throws {
        let base = NSTemporaryDirectory() + "qwery-docs-preset-\(UUID().uuidString)"
        let project = base + "/project"
        try FileManager.default.createDirectory(atPath: project + "/docs", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        try "SESSION_EXPIRE_AT_CLOSE = False\n\ndef session_expires(settings):\n    return settings.SESSION_EXPIRE_AT_CLOSE\n"
            .write(toFile: project + "/settings.py", atomically: true, encoding: .utf8)
        try "# Sessions\n\nSet SESSION_EXPIRE_AT_CLOSE to end a session when the browser closes.\n"
            .write(toFile: project + "/docs/sessions.md", atomically: true, encoding: .utf8)
        let settings = try Settings.resolve(.init(index: base + "/index.sqlite"), environment: [:], config: ConfigFile(), discover: { _ in nil })
        let library = try Library(settings: settings)
        _ = try library.index(roots: [project]) { _ in }
        func first(_ preset: InstructionPreset) throws -> String? {
            let parameters = SearchParameters(query: "SESSION_EXPIRE_AT_CLOSE", limit: 5, dimensions: nil, perFile: nil,
                                              instruction: preset.instruction, rerank: false)
            return try library.search(parameters).first.map { ($0.path as NSString).lastPathComponent }
        }
        #expect(try first(.notes) == "settings.py")
        #expect(try first(.docs) == "sessions.md")
        #expect(ScreenSession.builtInPresets.map(\.name) == ["notes", "code", "web", "docs"])
    }
}
