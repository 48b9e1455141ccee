import Foundation
import Synchronization

/// What loading one grammar found: whether it is usable (and its version), and — when asked for, since it means
/// compiling the grammar's highlight queries (most of a probe's time: 0.4 s for the 19 grammars) — how many
/// highlight patterns do not fit it.
package struct GrammarReport: Sendable, Equatable, Codable {
    package var availability: GrammarLibrary.Availability
    package var droppedHighlightPatterns: Int

    package init(availability: GrammarLibrary.Availability, droppedHighlightPatterns: Int = 0) {
        self.availability = availability
        self.droppedHighlightPatterns = droppedHighlightPatterns
    }

    init(_ availability: GrammarLibrary.Availability, _ grammar: Grammar?, countingPatterns: Bool) {
        self.init(availability: availability, droppedHighlightPatterns: countingPatterns ? grammar?.droppedHighlightPatterns ?? 0 : 0)
    }

    package var isUsable: Bool {
        if case .loaded = availability { return true }
        return false
    }
}

/// Which grammars are usable, learned where they may crash: a `parser.so` runs its own code when loaded (a
/// language function that aborts, a truncated file that faults), so the commands that only need to know —
/// `qwery status`, `config`, `grammars`, the indexer deciding whether to ask for an outline, the screen
/// deciding whether to colour a preview — ask the syntax worker, one grammar per request: a grammar that
/// takes the worker down is reported unusable with the signal, and the next one gets a fresh worker. Without a
/// worker (tests, tools) grammars are loaded in this process. Asked once per grammar per process.
package final class GrammarReports: Sendable {
    private let worker: SyntaxWorkerClient?
    private let library: GrammarLibrary
    /// Full reports (highlight patterns counted), and reports of whether a grammar loads at all.
    private let known = Mutex<[String: GrammarReport]>([:])
    private let loads = Mutex<[String: GrammarReport]>([:])

    package init(worker: SyntaxWorkerClient? = SyntaxWorkerClient.makeDefault(), library: GrammarLibrary = .shared) {
        self.worker = worker
        self.library = library
    }

    /// The executable's worker (set at start), else in-process loading.
    package static let shared = GrammarReports()

    /// Whether `spec` loads, and (with `countingPatterns`, for `qwery grammars`) how many highlight patterns it drops.
    package func report(_ spec: GrammarSpec, countingPatterns: Bool = true) -> GrammarReport {
        if let cached = known.withLock({ $0[spec.name] }) { return cached }
        if !countingPatterns, let cached = loads.withLock({ $0[spec.name] }) { return cached }
        let report: GrammarReport
        if let worker {
            // Nothing to load: no need to start a worker to learn that.
            if !FileManager.default.fileExists(atPath: library.folder + "/\(spec.name)/parser.so") {
                report = GrammarReport(availability: .notInstalled)
            } else if let answered = worker.probe(spec, countingPatterns: countingPatterns) {
                report = answered
            } else {
                let why = worker.takeFailures().last.map { $0.replacingOccurrences(of: spec.name + ": ", with: "") } ?? "the syntax worker did not answer"
                report = GrammarReport(availability: .unusable("loading it " + (why.hasPrefix("the syntax worker stopped on it")
                    ? why.replacingOccurrences(of: "the syntax worker stopped on it", with: "crashed the syntax worker") : "failed: " + why)))
            }
        } else {
            report = GrammarReport(library.availability(spec), library.grammar(spec), countingPatterns: countingPatterns)
        }
        if countingPatterns { known.withLock { $0[spec.name] = report } } else { loads.withLock { $0[spec.name] = report } }
        return report
    }

    package func isUsable(_ spec: GrammarSpec) -> Bool {
        report(spec, countingPatterns: false).isUsable
    }

    /// Whether `path`'s language has a usable grammar.
    package func isUsable(forPath path: String) -> Bool {
        GrammarCatalog.spec(forPath: path).map(isUsable) ?? false
    }

    /// The languages parsed with tree-sitter here, in catalogue order.
    package var usableLanguages: [String] {
        GrammarCatalog.all.filter(isUsable).map(\.name)
    }
}
