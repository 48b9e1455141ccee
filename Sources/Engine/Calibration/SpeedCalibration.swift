import CKernels
import Foundation

/// How fast each precision runs on this CPU at a model's shapes: a two-layer random checkpoint of the
/// model's own widths (hidden, intermediate, heads; the first layer runs whole, the last only as far as the
/// last tokens need), loaded in each precision, times a document batch (2 × 128 tokens) and a 16-token
/// query, best of three. A second or two, once per CPU model, BLAS core,
/// qwery version and model shape (cached). Compute does not depend on the weight values, so random
/// weights measure what the real ones would.
package struct SpeedCalibration: Codable, Sendable, Equatable {
    /// Document tokens per second, by precision name.
    package var documentsPerSecond: [String: Double]
    /// Milliseconds for one 16-token query through the two layers, by precision name.
    package var queryMilliseconds: [String: Double]

    package func speedup(_ precision: Precision) -> Double {
        guard let exact = documentsPerSecond[Precision.exact.rawValue], exact > 0,
              let value = documentsPerSecond[precision.rawValue] else { return 0 }
        return value / exact
    }

    /// What a cached result depends on.
    static func key(configuration: Qwen3Configuration, version: String) -> [String] {
        [CPUDescription.current, "blas " + BLASCore.loaded, "qwery " + version,
         "shape \(configuration.hiddenSize) \(configuration.intermediateSize) \(configuration.attentionHeadCount) \(configuration.keyValueHeadCount) \(configuration.headDimension)"]
    }

    /// The cached figures for this CPU and shape, or new ones (`announce` is told before a measurement).
    package static func figures(for configuration: Qwen3Configuration, version: String, cache: CalibrationCache,
                               announce: (String) -> Void) throws -> SpeedCalibration {
        let key = key(configuration: configuration, version: version)
        if let cached = cache.load(SpeedCalibration.self, kind: "speed", key: key) { return cached }
        announce("measuring each precision's speed on this CPU: a few seconds, once per CPU and qwery version…")
        let figures = try measure(configuration: configuration)
        cache.store(figures, kind: "speed", key: key)
        return figures
    }

    static func measure(configuration: Qwen3Configuration) throws -> SpeedCalibration {
        let folder = NSTemporaryDirectory() + "qwery-speed-\(getpid())-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shape = ModelShape(name: "calibration", vocabularySize: 1024, hiddenSize: configuration.hiddenSize,
                               intermediateSize: configuration.intermediateSize, layerCount: 2,
                               attentionHeadCount: configuration.attentionHeadCount, keyValueHeadCount: configuration.keyValueHeadCount,
                               headDimension: configuration.headDimension, tiesWordEmbeddings: true)
        try RandomCheckpoint.write(shape: shape, to: folder, tokenizer: nil)
        var generator = SplitMix64(seed: 11)
        let documents = (0..<2).map { _ in (0..<128).map { _ in Int(generator.next() % 1000) } }
        let query = [(0..<16).map { _ in Int(generator.next() % 1000) }]
        var figures = SpeedCalibration(documentsPerSecond: [:], queryMilliseconds: [:])
        for precision in Precision.runnableHere {
            let model = try Qwen3Model(folder: folder, precision: precision)
            func best(_ batch: [[Int]]) throws -> Double {
                _ = try model.lastHiddenStates(batch)  // warm: pages, caches, packed panels
                var fastest = Double.infinity
                for _ in 0..<3 {
                    let start = DispatchTime.now().uptimeNanoseconds
                    _ = try model.lastHiddenStates(batch)
                    fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                }
                return fastest
            }
            figures.documentsPerSecond[precision.rawValue] = Double(documents.joined().count) / (try best(documents))
            figures.queryMilliseconds[precision.rawValue] = try best(query) * 1000
        }
        return figures
    }
}

/// The CPU as calibration keys name it: model name and the flags qwery's kernels use.
package enum CPUDescription {
    package static let current: String = {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let lines = cpuinfo.split(separator: "\n")
        func field(_ name: String) -> String {
            lines.first { $0.hasPrefix(name) }?.split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? "?"
        }
        let flags = Set(field("flags").split(separator: " ").map(String.init))
        let used = ["avx2", "fma", "avx_vnni", "avx512f", "avx512bw", "avx512_bf16", "avx512_vnni", "amx_bf16", "amx_int8"].filter(flags.contains)
        return "\(field("model name")) family \(field("cpu family")) model \(field("model")) \(used.joined(separator: " "))"
    }()
}

extension Precision {
    /// The precisions whose kernels run here: fast only where AVX512_BF16 runs it (elsewhere it runs exact).
    package static var runnableHere: [Precision] {
        allCases.filter { $0 != .fast || qwery_cpu_has_avx512_bf16() != 0 }
    }
}
