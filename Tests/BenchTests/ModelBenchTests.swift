import Bench
import Foundation
import Testing

/// The bench's own checks (its figures are what `qwery bench` prints, never asserted on).
@Suite("Model bench")
struct ModelBenchTests {
    @Test("Given a shape that does not exist, when the checkpoint is asked for, then the error names the shapes and nothing is written")
    func unknownShape() {
        let folder = NSTemporaryDirectory() + "qwery-bench-\(UUID().uuidString)"
        var bench = ModelBench(shape: "3B")
        bench.folder = folder
        #expect(throws: BenchError.unknownShape("3B")) { try bench.checkpoint(tokenizer: { "unused" }, announce: { _ in }) }
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    @Test("Given this machine, when described for a figure, then the CPU model, core count and vector instructions are named")
    func machineDescription() throws {
        let description = BenchRunner.machineDescription()
        let cores = ProcessInfo.processInfo.activeProcessorCount
        #expect(description.contains("\(cores) cores"), "\(description)")
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        if cpuinfo.contains(" avx2") { #expect(description.contains("avx2")) }
    }
}
