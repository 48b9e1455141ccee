import CKernels

/// `qwery bench --peaks`: one core's multiply-accumulate peaks of the instruction sequences the kernels are
/// built from (register-only loops, `Sources/CKernels/peaks.c`): what a kernel on this CPU can reach at best.
package enum PeaksRunner {
    /// The figures; nil on a CPU without AVX2/FMA.
    package static func run() -> BenchRunner.Report? {
        var fma = 0.0, signed = 0.0, sevenBit = 0.0
        guard qwery_measure_peaks(&fma, &signed, &sevenBit) != 0 else { return nil }
        var report = BenchRunner.Report()
        report.machine = BenchRunner.machineDescription()
        report.figures = [
            BenchRunner.Figure(name: "fp32 FMA (vfmadd231ps ymm), one core", unit: "GMAC/s", values: [("", fma / 1e9)]),
            BenchRunner.Figure(name: "int8 AVX2: vpsignb+vpmaddubsw+vpmaddwd+vpaddd", unit: "GMAC/s", values: [("", signed / 1e9)]),
            BenchRunner.Figure(name: "int8 AVX2 without vpsignb (7-bit operand)", unit: "GMAC/s", values: [("", sevenBit / 1e9)]),
        ]
        var fma512 = 0.0, bf16 = 0.0, vnni512 = 0.0, avxVNNI = 0.0
        qwery_measure_wide_peaks(&fma512, &bf16, &vnni512, &avxVNNI)
        for (name, value) in [("fp32 FMA (vfmadd231ps zmm), one core", fma512), ("bf16 (vdpbf16ps zmm: the fast kernel)", bf16),
                              ("int8 AVX-512 VNNI (vpdpbusd zmm)", vnni512), ("int8 AVX-VNNI (vpdpbusd ymm)", avxVNNI)] where value > 0 {
            report.figures.append(BenchRunner.Figure(name: name, unit: "GMAC/s", values: [("", value / 1e9)]))
        }
        return report
    }
}
