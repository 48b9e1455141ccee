import Foundation
import Engine
import Testing
@testable import QweryCore

/// The configuration file's format and its errors.
@Suite("Configuration file")
struct ConfigFileTests {
    @Test("Given every key, when parsed, then values and presets are read in order")
    func everyKey() throws {
        let text = """
        # qwery configuration
        folders = ["~/notes", "~/src/project"]   # watched
        ignore = ["*.log", 'build/']
        max_file_size = 1_000_000
        model = "~/models/Qwen3-Embedding-0.6B"
        reranker = "~/models/Qwen3-Reranker-0.6B"
        dimensions = 256
        preset = "meetings"
        rerank_depth = 20
        theme = "nord"
        precision = "exact"
        rerank_precision = "int8"

        [presets]
        meetings = "Given a question, retrieve relevant passages from meeting notes # not a comment"
        """
        let config = try ConfigFile.parse(text, path: "config.toml")
        #expect(config.folders == ["~/notes", "~/src/project"])
        #expect(config.ignore == ["*.log", "build/"])
        #expect(config.maximumFileSize == 1_000_000)
        #expect(config.dimensions == 256 && config.rerankDepth == 20)
        #expect(config.theme == "nord" && config.precision == "exact" && config.preset == "meetings")
        #expect(config.rerankPrecision == "int8")
        #expect(config.presets.map(\.name) == ["meetings"])
        #expect(config.presets.first?.instruction == "Given a question, retrieve relevant passages from meeting notes # not a comment")
    }

    @Test("Given a broken line, when parsed, then the error names the line and the key", arguments: [
        ("dimensions = \"big\"", "config.toml:1: dimensions must be an integer"),
        ("colour = \"red\"", "config.toml:1: unknown key colour"),
        ("folders = [\"a\", 3]", "config.toml:1: folders must be an array of strings"),
        ("model = ~/models", "config.toml:1: model: ~/models is not a string"),
        ("precision = \"turbo\"", "config.toml:1: precision must be \"exact\", \"fast\" or \"int8\""),
        ("[models]", "config.toml:1: unknown table [models]"),
        ("theme \"dark\"", "config.toml:1: expected key = value"),
    ])
    func brokenLines(text: String, message: String) {
        do {
            _ = try ConfigFile.parse(text, path: "config.toml")
            Issue.record("expected an error for \(text)")
        } catch {
            #expect("\(error)".hasPrefix(message), "\(error)")
        }
    }

    @Test("Given a config file saved with Windows line endings, when parsed, then every key is read")
    func windowsLineEndings() throws {
        let config = try ConfigFile.parse("dimensions = 256\r\nfollow_symlinks = true\r\ntheme = \"nord\"\r\n[presets]\r\nmeetings = \"Given a question\"\r\n", path: "config.toml")
        #expect(config.dimensions == 256)
        #expect(config.theme == "nord")
        #expect(config.followSymlinks == true)
        #expect(config.presets.map(\.name) == ["meetings"])
    }
}
