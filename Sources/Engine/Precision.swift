import CKernels

/// How the engine computes.
package enum Precision: String, Sendable, CaseIterable {
    /// fp32 activations and accumulation, weights as stored: matches transformers within 1e-4.
    case exact
    /// Activations rounded to bf16 into bf16 dot products (AVX512-BF16 `vdpbf16ps`) with fp32
    /// accumulation; attention's probabilities × values run on the same kernel, while q·kᵀ, norms,
    /// softmax and RoPE stay fp32. Measured against exact: cosine ≥ 0.9999.
    case fast
    /// Weights quantized to int8 at load (one scale per output row), activations per token, with outlier
    /// columns (massive activations) kept in fp32; integer dot products on AVX512-VNNI, AVX2 or portable C.
    /// Measured on the outlier fixtures: see the int8 tests. A model's default only where calibration admits
    /// it on that model's own weights (`PrecisionChoice`).
    case int8
}

extension Precision {
    /// What a chosen precision runs on this CPU: fast is not offered where its kernel is slower than exact
    /// (no AVX512_BF16: the AVX2 bf16 kernel measured 3× slower than OpenBLAS fp32 on a Zen 3), so it runs
    /// exact there and `note` says so.
    package var effective: (precision: Precision, note: String?) {
        guard self == .fast, qwery_cpu_has_avx512_bf16() == 0 else { return (self, nil) }
        return (.exact, "fast precision needs AVX512_BF16 to be faster than exact; this CPU has none, so qwery runs exact (the same results, more exactly)")
    }

    /// The kernel each precision runs here, for `qwery config` and `qwery bench`.
    package var kernelDescription: String {
        switch self {
        case .exact: return "fp32: bf16 weights widened in registers (few rows) or in tiles for OpenBLAS sgemm (many rows)"
        case .fast:
            if qwery_cpu_has_avx512_bf16() != 0 { return "AVX512-BF16 vdpbf16ps" }
            return "AVX2 bf16 (slower than exact here: exact runs instead)"
        case .int8:
            if qwery_cpu_has_avx512_vnni() != 0 { return "AVX512-VNNI vpdpbusd, outlier columns in fp32" }
            if qwery_cpu_has_avx_vnni() != 0 { return "AVX-VNNI vpdpbusd (256-bit), outlier columns in fp32" }
            if qwery_cpu_has_avx2_fma() != 0 { return "AVX2 vpmaddubsw/vpmaddwd, outlier columns in fp32" }
            return "portable C loop (slow), outlier columns in fp32"
        }
    }
}

/// Which bf16 kernel the fast precision runs (tests force the fallbacks).
package enum FastKernel: Int32, Sendable {
    case automatic = 0
    case avx512BF16 = 1
    case avx2 = 2
    case portable = 3
    /// int8 only: AVX-VNNI (256-bit vpdpbusd without AVX-512).
    case avxVNNI = 4

    /// What this CPU offers, best first.
    package static var available: [FastKernel] {
        var kernels: [FastKernel] = []
        if qwery_cpu_has_avx512_bf16() != 0 { kernels.append(.avx512BF16) }
        if qwery_cpu_has_avx2_fma() != 0 { kernels.append(.avx2) }
        return kernels + [.portable]
    }
}

extension Precision {
    /// Whether the int8 precision runs on AVX512-VNNI here (else on AVX2 where the CPU has it, else a portable loop).
    package static var int8IsAccelerated: Bool { qwery_cpu_has_avx512_vnni() != 0 }

    /// Whether this CPU has AVX-VNNI (256-bit vpdpbusd), the int8 kernel `FastKernel.avxVNNI` forces.
    package static var int8HasAVXVNNI: Bool { qwery_cpu_has_avx_vnni() != 0 && qwery_cpu_has_avx2_fma() != 0 }
}
