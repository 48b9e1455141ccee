import CBLAS
import CKernels
import Foundation
import Synchronization

/// OpenBLAS's compute core, and its correction when it is weaker than the CPU allows.
///
/// Debian's OpenBLAS (0.3.21, DYNAMIC_ARCH) picks its kernels when the library loads, from the CPU model. A model it
/// does not know gets a fallback: on an Intel Xeon 5th generation (family 6, model 207) it runs the 2004 Prescott
/// (SSE3) kernels, and exact embeds 4.5× slower than with the Cooperlake core (49 vs 220 tokens/s, issue #21). The
/// only way in is `OPENBLAS_CORETYPE` when the library loads. qwery opens OpenBLAS with dlopen when the engine first
/// needs it (`cblas_loader.h` says why), so `ready` looks at the core it chose and, when it is a fallback and the
/// user did not choose one, loads it again with the best core Debian's build has for the CPU's features.
package enum BLASCore {
    /// OpenBLAS loaded (and corrected) once per process; nil, or why it cannot be.
    package static let ready: String? = {
        if let failure = qwery_blas_load() { return String(cString: failure) }
        let environment = ProcessInfo.processInfo.environment
        if let own = environment["OPENBLAS_CORETYPE"], !own.isEmpty { return nil }
        let seen = environment[assumedVariable].flatMap { $0.isEmpty ? nil : $0 } ?? qwery_blas_corename().map { String(cString: $0) } ?? "unknown"
        guard let better = correction(loaded: seen, features: .thisCPU) else { return nil }
        if let failure = qwery_blas_reload(better) { return String(cString: failure) }
        corrected.withLock { $0 = seen }
        return nil
    }()

    /// Loads OpenBLAS before the engine computes: an error that says what to install when it cannot.
    package static func require() throws(EngineError) {
        if let failure = ready { throw EngineError.missingLibrary(name: "OpenBLAS", reason: failure) }
    }

    /// The core OpenBLAS runs (`openblas_get_corename`), loading it if need be.
    package static var loaded: String {
        _ = ready
        guard let name = qwery_blas_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The core OpenBLAS had chosen on its own, when `ready` replaced it.
    private static let corrected = Mutex<String?>(nil)

    /// The CPU features that decide which OpenBLAS core can run.
    package struct Features: Sendable, Equatable {
        package var avx2FMA: Bool
        package var avx512: Bool
        package var avx512BF16: Bool

        package init(avx2FMA: Bool, avx512: Bool, avx512BF16: Bool) {
            self.avx2FMA = avx2FMA
            self.avx512 = avx512
            self.avx512BF16 = avx512BF16
        }

        package static var thisCPU: Features {
            Features(avx2FMA: qwery_cpu_has_avx2_fma() != 0, avx512: qwery_cpu_has_avx512_core() != 0,
                     avx512BF16: qwery_cpu_has_avx512_bf16() != 0)
        }
    }

    /// The best core of Debian's OpenBLAS 0.3.21 for these features (its DYNAMIC_ARCH list), nil when only
    /// SSE-era cores fit.
    package static func best(for features: Features) -> String? {
        if features.avx512 && features.avx512BF16 { return "Cooperlake" }
        if features.avx512 { return "SkylakeX" }
        if features.avx2FMA { return "Haswell" }
        return nil
    }

    /// The instruction-set tier of a core (higher is wider); unknown names rank lowest.
    static func tier(_ core: String) -> Int {
        switch core.lowercased() {
        case "cooperlake", "sapphirerapids": return 5
        case "skylakex": return 4
        case "haswell", "zen": return 3
        case "sandybridge", "bulldozer", "piledriver", "steamroller", "excavator": return 2
        default: return 1  // Prescott, Core2, Penryn, Dunnington, Nehalem, Atom, Barcelona, Nano…
        }
    }

    /// The core to run instead of `loaded`, when `loaded` is weaker than what `features` allow.
    package static func correction(loaded: String, features: Features) -> String? {
        guard let best = best(for: features), tier(best) > tier(loaded) else { return nil }
        return best
    }

    /// A diagnostic and test seam: act as if OpenBLAS had chosen this core (the fallback cannot be provoked
    /// on a CPU OpenBLAS knows).
    static let assumedVariable = "QWERY_ASSUME_BLAS_CORE"

    /// The core in use and why, for `qwery config` and `qwery bench`.
    package static var status: (core: String, note: String) {
        let environment = ProcessInfo.processInfo.environment
        let core = loaded
        let best = best(for: .thisCPU)
        if let original = corrected.withLock({ $0 }) {
            return (core, "corrected from \(original): OpenBLAS did not know this CPU and chose a fallback")
        }
        if let own = environment["OPENBLAS_CORETYPE"], !own.isEmpty {
            let allows = best.map { tier($0) > tier(core) ? "; this CPU allows \($0)" : "" } ?? ""
            return (core, "OPENBLAS_CORETYPE=\(own), respected\(allows)")
        }
        return (core, "chosen by OpenBLAS for this CPU")
    }
}
