import Foundation
import Engine
import Testing
@testable import qwery

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
        // Values start in one column, however long the longest key (`ranking.documentation`).
        func valueColumn(_ key: String) -> Int? {
            rows[key].map { line in line.distance(from: line.startIndex, to: line.dropFirst(key.count).firstIndex { $0 != " " } ?? line.endIndex) }
        }
        #expect(valueColumn("model") != nil && valueColumn("model") == valueColumn("ranking.documentation"), "\(result.standardOutput)")
    }

    @Test("Given no precision anywhere and no model, when printing the configuration, then both are to be measured; a chosen precision applies to both",
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
            // Precision is measured per model (PrecisionChoice); without a model there is nothing to measure.
            #expect(rerank.contains("(measured when a model is found)   (no model)"), "\(result.standardOutput)")
            #expect(embedding.contains("(measured when a model is found)   (no model)"), "\(result.standardOutput)")
        } else {
            #expect(rerank.contains("exact   (same as precision)"), "\(result.standardOutput)")
            #expect(embedding.contains("exact   (command-line flag)"), "\(result.standardOutput)")
        }
    }
}
