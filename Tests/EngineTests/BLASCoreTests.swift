import Foundation
import Testing
import Engine

/// OpenBLAS's core: a fallback is corrected by loading OpenBLAS again with the right one; a user's own
/// OPENBLAS_CORETYPE is respected (issue #21, item 1).
@Suite("BLAS core")
struct BLASCoreTests {
    static let features = BLASCore.Features.thisCPU

    @Test("Given each fallback core and CPU, when a correction is asked for, then the best core for the features replaces weaker ones only")
    func correctionRule() {
        let xeon5 = BLASCore.Features(avx2FMA: true, avx512: true, avx512BF16: true)
        let zen3 = BLASCore.Features(avx2FMA: true, avx512: false, avx512BF16: false)
        let skylake = BLASCore.Features(avx2FMA: true, avx512: true, avx512BF16: false)
        let old = BLASCore.Features(avx2FMA: false, avx512: false, avx512BF16: false)
        #expect(BLASCore.correction(loaded: "Prescott", features: xeon5) == "Cooperlake")
        #expect(BLASCore.correction(loaded: "Nehalem", features: zen3) == "Haswell")
        #expect(BLASCore.correction(loaded: "Haswell", features: skylake) == "SkylakeX")
        #expect(BLASCore.correction(loaded: "Zen", features: zen3) == nil, "Zen's kernels are Haswell's tier")
        #expect(BLASCore.correction(loaded: "Cooperlake", features: xeon5) == nil)
        #expect(BLASCore.correction(loaded: "SapphireRapids", features: xeon5) == nil)
        #expect(BLASCore.correction(loaded: "Prescott", features: old) == nil, "nothing better to run")
    }
}
