import Foundation
import Engine
import Testing
@testable import qwery

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
}

/// `qwery config` run as a user would.
@Suite("qwery config")
struct ConfigCommandTests {
    @Test("Given a config file and an environment variable, when printing the configuration, then each value names its source")
    func printsSources() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let model = QweryProcess.fixtures + "/models/tiny-embedding"
        try """
        model = "\(model)"
        dimensions = 256
        rerank_precision = "int8"
        [presets]
        meetings = "Given a question, retrieve meeting notes"
        """.write(toFile: folder + "/config.toml", atomically: true, encoding: .utf8)
        let environment = ["QWERY_CONFIG": folder + "/config.toml", "QWERY_PRECISION": "exact", "HF_HOME": folder + "/hf",
                           "XDG_DATA_HOME": folder + "/data", "QWERY_MODEL": "", "QWERY_RERANKER": ""]

        let result = try QweryProcess.run(["config"], environment: environment)

        #expect(result.status == 0, "\(result.standardError)")
        let rows = Dictionary(result.standardOutput.split(separator: "\n").map { line in
            (String(line.prefix { $0 != " " }), String(line))
        }, uniquingKeysWith: { first, _ in first })
        #expect(rows["model"]?.contains("\(model)   (config file \(folder)/config.toml)") == true, "\(result.standardOutput)")
        #expect(rows["dimensions"]?.contains("256   (config file") == true)
        #expect(rows["precision"]?.contains("exact   (environment QWERY_PRECISION)") == true)
        #expect(rows["reranker"]?.contains("(none found: no reranking)") == true)
        #expect(rows["rerank_depth"]?.contains("10   (default)") == true)
        #expect(rows["rerank_precision"]?.contains("int8   (config file") == true, "\(result.standardOutput)")
        #expect(result.standardOutput.contains("Given a question, retrieve meeting notes"))
    }

    @Test("Given no precision anywhere, when printing the configuration, then both models run the CPU default with its reason; a chosen precision applies to both",
          arguments: [[], ["--precision", "exact"]])
    func rerankPrecisionDefault(arguments: [String]) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let environment = ["QWERY_CONFIG": folder + "/config.toml", "QWERY_PRECISION": "", "QWERY_RERANK_PRECISION": "",
                           "HF_HOME": folder + "/hf", "XDG_DATA_HOME": folder + "/data", "QWERY_MODEL": "", "QWERY_RERANKER": ""]

        let result = try QweryProcess.run(["config"] + arguments, environment: environment)

        #expect(result.status == 0, "\(result.standardError)")
        let rerank = result.standardOutput.split(separator: "\n").first { $0.hasPrefix("rerank_precision") }.map(String.init) ?? ""
        let embedding = result.standardOutput.split(separator: "\n").first { $0.hasPrefix("precision") }.map(String.init) ?? ""
        if arguments.isEmpty {
            // No CPU gets per-token int8 by default any more: the reranker follows the embeddings' rule.
            let reason = DefaultPrecision.forEmbeddings.reason
            #expect(rerank.contains("\(Precision.automatic.rawValue)   (\(reason))"), "\(result.standardOutput)")
            #expect(embedding.contains("\(Precision.automatic.rawValue)   (\(reason))"), "\(result.standardOutput)")
            #expect(reason.hasPrefix("default for this CPU: "))
        } else {
            #expect(rerank.contains("exact   (same as precision)"), "\(result.standardOutput)")
            #expect(embedding.contains("exact   (command-line flag)"), "\(result.standardOutput)")
        }
    }
}
