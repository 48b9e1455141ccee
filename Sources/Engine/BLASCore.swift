import CBLAS
import CKernels
import Foundation

/// OpenBLAS's compute core, and its correction when it is weaker than the CPU allows.
///
/// Debian's OpenBLAS (0.3.21, DYNAMIC_ARCH) picks its kernels once, when the library loads, from the CPU
/// model. A model it does not know gets a fallback: on an Intel Xeon 5th generation (family 6, model 207)
/// it runs the 2004 Prescott (SSE3) kernels, and exact embeds 4.5× slower than with the Cooperlake core
/// (49 vs 220 tokens/s, issue #21). The only way in is `OPENBLAS_CORETYPE` before the library loads,
/// which for a program linked against it means before `main`. So `qwery` checks the core first thing in
/// `main` and, when it is a fallback, re-executes itself once (`/proc/self/exe`, same arguments, same open
/// files) with `OPENBLAS_CORETYPE` set to the best core Debian's build has for the CPU's features. Chosen
/// over loading OpenBLAS lazily with `dlopen`: every BLAS call site would go through function pointers,
/// and a re-exec costs a few milliseconds once. A user's own `OPENBLAS_CORETYPE` is always respected.
package enum BLASCore {
    /// The core OpenBLAS runs (`openblas_get_corename`).
    package static var loaded: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

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

    /// Set in the re-executed process: the core OpenBLAS had chosen on its own.
    static let correctedVariable = "QWERY_BLAS_CORRECTED"
    /// A diagnostic and test seam: act as if OpenBLAS had chosen this core (the fallback cannot be provoked
    /// on a CPU OpenBLAS knows).
    static let assumedVariable = "QWERY_ASSUME_BLAS_CORE"

    /// Re-executes this program with the right `OPENBLAS_CORETYPE` when OpenBLAS chose a fallback core and
    /// the user did not choose one; returns (doing nothing) otherwise, or when the re-exec fails.
    package static func correctIfNeeded() {
        let environment = ProcessInfo.processInfo.environment
        if environment[correctedVariable] != nil { return }
        if let own = environment["OPENBLAS_CORETYPE"], !own.isEmpty { return }
        let seen = environment[assumedVariable].flatMap { $0.isEmpty ? nil : $0 } ?? loaded
        guard let better = correction(loaded: seen, features: .thisCPU) else { return }
        setenv("OPENBLAS_CORETYPE", better, 1)
        setenv(correctedVariable, seen, 1)
        var arguments = CommandLine.arguments.map { strdup($0) }
        arguments.append(nil)
        execv("/proc/self/exe", &arguments)
        // Still here: the re-exec failed; run on with the fallback core, as before.
        unsetenv("OPENBLAS_CORETYPE")
        unsetenv(correctedVariable)
    }

    /// The core in use and why, for `qwery config` and `qwery bench`.
    package static var status: (core: String, note: String) {
        let environment = ProcessInfo.processInfo.environment
        let core = loaded
        let best = best(for: .thisCPU)
        if let original = environment[correctedVariable] {
            return (core, "corrected from \(original): OpenBLAS did not know this CPU and chose a fallback")
        }
        if let own = environment["OPENBLAS_CORETYPE"], !own.isEmpty {
            let allows = best.map { tier($0) > tier(core) ? "; this CPU allows \($0)" : "" } ?? ""
            return (core, "OPENBLAS_CORETYPE=\(own), respected\(allows)")
        }
        return (core, "chosen by OpenBLAS for this CPU")
    }
}
