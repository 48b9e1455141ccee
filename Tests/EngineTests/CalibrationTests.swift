import Foundation
import Testing
import Tokenizers
@testable import Engine

/// Precision chosen by measurement (issue #21): the cache and its keys, the bf16 yardstick, and the
/// admission rule on an outlier checkpoint (int8 refused) and a benign one.
@Suite("Precision calibration", .serialized)
struct CalibrationTests {
    static func temporaryCache() -> CalibrationCache {
        CalibrationCache(folder: NSTemporaryDirectory() + "qwery-calibration-\(UUID().uuidString)")
    }

    /// A fixture folder copied file by file, links replaced by what they point at.
    static func copyResolvingLinks(_ source: String, to destination: String) throws {
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: source) {
            let real = URL(fileURLWithPath: source + "/" + name).resolvingSymlinksInPath().path
            try FileManager.default.copyItem(atPath: real, toPath: destination + "/" + name)
        }
    }

    @Test("Given stored figures, when loaded with the same key, then they come back; with a new CPU, version or model shape, then nothing is found")
    func cacheKeys() throws {
        let cache = Self.temporaryCache()
        defer { try? FileManager.default.removeItem(atPath: cache.folder) }
        let configuration = try Qwen3Configuration(contentsOf: ModelFixtures.folder("tiny-causal") + "/config.json")
        let figures = SpeedCalibration(documentsPerSecond: ["exact": 100, "int8": 300], queryMilliseconds: ["exact": 2, "int8": 1])
        let key = SpeedCalibration.key(configuration: configuration, version: "1.0")
        cache.store(figures, kind: "speed", key: key)
        #expect(cache.load(SpeedCalibration.self, kind: "speed", key: key) == figures)
        #expect(figures.speedup(.int8) == 3)
        var otherCPU = key
        otherCPU[0] = "Intel Xeon family 6 model 207 avx2 avx512f"
        #expect(cache.load(SpeedCalibration.self, kind: "speed", key: otherCPU) == nil)
        #expect(cache.load(SpeedCalibration.self, kind: "speed", key: SpeedCalibration.key(configuration: configuration, version: "1.1")) == nil)
        var wider = configuration
        wider.hiddenSize *= 2
        #expect(cache.load(SpeedCalibration.self, kind: "speed", key: SpeedCalibration.key(configuration: wider, version: "1.0")) == nil)
        #expect(key.contains { $0.hasPrefix("blas ") })
    }

    @Test("Given two fixture models, when their content is hashed, then the hashes differ, and a changed weight byte changes it")
    func contentHash() throws {
        let tiny = try ModelContentHash.compute(folder: ModelFixtures.folder("tiny-causal"))
        #expect(tiny != (try ModelContentHash.compute(folder: ModelFixtures.folder("outlier-x100"))))
        let copy = NSTemporaryDirectory() + "qwery-hash-\(UUID().uuidString)"
        try Self.copyResolvingLinks(ModelFixtures.folder("tiny-causal"), to: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        #expect(try ModelContentHash.compute(folder: copy) == tiny)
        let handle = try #require(FileHandle(forUpdatingAtPath: copy + "/model.safetensors"))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size - 10)  // inside the last sample
        try handle.write(contentsOf: Data([0x42, 0x43]))
        try handle.close()
        #expect(try ModelContentHash.compute(folder: copy) != tiny)
    }

    @Test("Given the outlier-x100 reranker, when calibrated, then int8 is refused by the rule and fast is admitted")
    func outlierRefusesInt8() throws {
        let folder = ModelFixtures.folder("outlier-x100")
        let tokenizer = try Tokenizer(contentsOf: folder + "/tokenizer.json")
        let figures = try FidelityCalibration.measure(folder: folder, tokenizer: tokenizer, candidates: [.fast, .int8], isReranker: true)
        print("calibration outlier-x100: \(figures)")
        let bf16 = try #require(figures.worstCosine["bf16"])
        #expect(bf16 < 1 && bf16 > 0.9, "the yardstick rounds: \(bf16)")
        #expect(!figures.admits(.int8), "\(figures)")
        #expect(figures.admits(.fast), "\(figures)")
        #expect(figures.rerankAllowance > 0.01, "bf16 rounding alone moves this checkpoint's scores by more than 0.01")
        #expect(figures.admits(.exact))
        #expect(figures.texts == CalibrationTexts.documents.count + CalibrationTexts.queries.count)
    }

    @Test("Given the benign tiny-causal reranker, when calibrated, then the figures say which precisions meet the rule, fast among them")
    func benignModel() throws {
        let folder = ModelFixtures.folder("tiny-causal")
        let tokenizer = try #require(ModelFixtures.embedders["tiny-causal"]).tokenizer
        let figures = try FidelityCalibration.measure(folder: folder, tokenizer: tokenizer, candidates: [.fast, .int8], isReranker: true)
        print("calibration tiny-causal: \(figures)")
        #expect(figures.admits(.fast), "\(figures)")
        let int8 = try #require(figures.worstCosine["int8"])
        let bf16 = try #require(figures.worstCosine["bf16"])
        #expect(figures.admits(.int8) == (1 - int8 <= 2 * (1 - bf16) + 1e-9 && (figures.worstRerankDifference["int8"] ?? 0) <= 0.01))
    }

    @Test("Given a model and an empty cache, when the precision is chosen twice, then the second choice reads the cache and says why")
    func choiceIsCached() throws {
        let cache = Self.temporaryCache()
        defer { try? FileManager.default.removeItem(atPath: cache.folder) }
        let folder = NSTemporaryDirectory() + "qwery-choice-\(UUID().uuidString)"
        try Self.copyResolvingLinks(ModelFixtures.folder("outlier-x100"), to: folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var announced: [String] = []
        let first = try PrecisionChoice.measured(folder: folder, isReranker: true, cache: cache) { announced.append($0) }
        #expect(announced.count >= 1)
        #expect(first.reason.hasPrefix("measured"))
        #expect(first.precision != .int8, "int8 is refused on the outlier checkpoint: \(first.reason)")
        var again: [String] = []
        let second = try PrecisionChoice.measured(folder: folder, isReranker: true, cache: cache) { again.append($0) }
        #expect(second == first)
        #expect(again.isEmpty, "nothing measured twice")
    }
}

extension CalibrationTests {
    @Test("Given this CPU's speed per precision, when the fidelity check is estimated, then it scales with the model's layers and the precisions checked, and reads as about N s")
    func fidelityEstimate() throws {
        let tokenizer = try Tokenizer(contentsOf: ModelFixtures.folder("tiny-causal") + "/tokenizer.json")
        var configuration = try Qwen3Configuration(contentsOf: ModelFixtures.folder("tiny-causal") + "/config.json")
        let speed = SpeedCalibration(documentsPerSecond: ["exact": 1000, "int8": 2000], queryMilliseconds: [:])
        configuration.layerCount = 2
        let two = FidelityCalibration.estimatedSeconds(configuration: configuration, tokenizer: tokenizer, candidates: [.int8],
                                                       isReranker: false, speed: speed)
        configuration.layerCount = 28
        let many = FidelityCalibration.estimatedSeconds(configuration: configuration, tokenizer: tokenizer, candidates: [.int8],
                                                        isReranker: false, speed: speed)
        // Three models loaded (exact, bf16, int8): 3 s plus compute, which grows 14× with 14× the layers.
        #expect(abs((many - 3) / (two - 3) - 14) < 1e-9)
        #expect(FidelityCalibration.describe(seconds: 21.7) == "about 20 s")
        #expect(FidelityCalibration.describe(seconds: 3.4) == "about 3 s")
    }
}
