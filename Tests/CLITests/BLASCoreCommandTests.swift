import Engine
import Foundation
import Testing

/// The BLAS core as the executable corrects or respects it at start (the rule itself: EngineTests).
@Suite("BLAS core at start")
struct BLASCoreCommandTests {
    static let features = BLASCore.Features.thisCPU

    @Test("Given OpenBLAS on a fallback core and no OPENBLAS_CORETYPE of the user's, when qwery starts, then it loads OpenBLAS again with the best core and says so",
          .enabled(if: BLASCore.best(for: features) != nil))
    func fallbackIsCorrected() throws {
        let expected = try #require(BLASCore.best(for: Self.features))
        let result = try QweryProcess.run(["config"], environment: ["OPENBLAS_CORETYPE": "", "QWERY_ASSUME_BLAS_CORE": "Prescott",
                                                                    "QWERY_CONFIG": "/nonexistent/qwery.toml"])
        #expect(result.status == 0, "\(result.standardError)")
        let line = result.standardOutput.split(separator: "\n").first { $0.hasPrefix("blas core") } ?? ""
        #expect(line.contains("\(expected)   (corrected from Prescott"), "\(line)")
    }

    @Test("Given the user's own OPENBLAS_CORETYPE, when qwery starts, then it runs that core and only notes what the CPU allows")
    func userCoreIsRespected() throws {
        let result = try QweryProcess.run(["config"], environment: ["OPENBLAS_CORETYPE": "Prescott", "QWERY_ASSUME_BLAS_CORE": "Prescott",
                                                                    "QWERY_CONFIG": "/nonexistent/qwery.toml"])
        let line = result.standardOutput.split(separator: "\n").first { $0.hasPrefix("blas core") } ?? ""
        #expect(line.contains("Prescott   (OPENBLAS_CORETYPE=Prescott, respected"), "\(line)")
    }
}
