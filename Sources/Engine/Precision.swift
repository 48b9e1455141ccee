import CKernels

/// How the engine computes.
public enum Precision: String, Sendable, CaseIterable {
    /// fp32 activations and accumulation, weights as stored: matches transformers within 1e-4.
    case exact
    /// Activations rounded to bf16 into bf16 dot products (AVX512-BF16 `vdpbf16ps`) with fp32
    /// accumulation; attention's probabilities × values run on the same kernel, while q·kᵀ, norms,
    /// softmax and RoPE stay fp32. Measured against exact: cosine ≥ 0.9999.
    case fast
    /// Weights quantized to int8 at load (one scale per output row), activations to int8 per token,
    /// AVX512-VNNI integer dot products (`vpdpbusd`, twice bf16's multiply-adds per instruction).
    /// Its agreement with exact is measured (see the int8 tests): looser than fast's for embeddings,
    /// so never their default; within fast's bound for rerank scores, so the reranker's default
    /// where VNNI runs it (`automaticForReranker`).
    case int8

    /// fast where the CPU has AVX512_BF16, else exact.
    public static var automatic: Precision {
        qwery_cpu_has_avx512_bf16() != 0 ? .fast : .exact
    }
}

/// Which bf16 kernel the fast precision runs (tests force the fallbacks).
public enum FastKernel: Int32, Sendable {
    case automatic = 0
    case avx512BF16 = 1
    case avx2 = 2
    case portable = 3

    /// What this CPU offers, best first.
    public static var available: [FastKernel] {
        var kernels: [FastKernel] = []
        if qwery_cpu_has_avx512_bf16() != 0 { kernels.append(.avx512BF16) }
        if qwery_cpu_has_avx2_fma() != 0 { kernels.append(.avx2) }
        return kernels + [.portable]
    }
}

extension Precision {
    /// Whether the int8 precision runs on AVX512-VNNI here (else on a portable loop, much slower).
    public static var int8IsAccelerated: Bool { qwery_cpu_has_avx512_vnni() != 0 }

    /// The reranker's default: int8 where AVX512-VNNI runs it, else `automatic`. A reranker's output
    /// is a score, and int8's scores meet the bound fast is held to (within 0.01 of exact; measured
    /// at most 0.0065 on the fixtures and the 0.6B shape) at about twice fast's speed. Embeddings stay
    /// fast: int8's cosine with exact (≥ 0.999) misses fast's 0.9999.
    public static var automaticForReranker: Precision { int8IsAccelerated ? .int8 : automatic }
}
