import Foundation
import Search

/// One query's outcome in one configuration.
package struct QueryOutcome: Sendable, Codable {
    package let id: String
    package let query: String
    package let category: String?
    package let file: QueryMetrics
    package let chunk: QueryMetrics
    /// The first ten files found, relative paths, and whether each is relevant.
    package let top: [RankedFile]
    /// Relevant files not found in the top 100.
    package let missed: [String]
    package let milliseconds: Double
}

package struct RankedFile: Sendable, Codable {
    package let path: String
    package let relevant: Bool
}

/// A configuration's figures over every query, and per category.
package struct ConfigurationReport: Sendable, Codable {
    package let configuration: String
    package let queries: Int
    package let file: QueryMetrics
    package let chunk: QueryMetrics
    package let categories: [String: QueryMetrics]
    package let p50Milliseconds: Double
    package let p95Milliseconds: Double
    package let outcomes: [QueryOutcome]
}

/// Runs labelled queries through the search pipeline and scores what comes back, at file level (each
/// file once, at its first result) and chunk level (each target once, at the first chunk that overlaps
/// its lines; a target without lines is met by any chunk of its file).
package struct EvalRunner {
    package let pipeline: SearchPipeline
    /// The evaluated folder: results' paths are made relative to it.
    package let root: String

    package init(pipeline: SearchPipeline, root: String) {
        self.pipeline = pipeline
        self.root = root.hasSuffix("/") ? root : root + "/"
    }

    package func run(_ configuration: EvalConfiguration, queries: [EvalQuery], progress: (Int) -> Void = { _ in }) throws -> ConfigurationReport {
        var outcomes: [QueryOutcome] = []
        for (index, query) in queries.enumerated() {
            let start = ContinuousClock.now
            let results = try search(query.text, configuration)
            let elapsed = ContinuousClock.now - start
            // A result standing for identical chunks in several files counts each file, in its place.
            let ranked = results.flatMap { result in
                ([result.path] + result.identicalPaths).map { (relative($0), result.startLine, result.endLine) }
            }
            outcomes.append(Self.score(query, results: ranked,
                                       milliseconds: Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000))
            progress(index + 1)
        }
        var byCategory: [String: [QueryMetrics]] = [:]
        for outcome in outcomes { byCategory[outcome.category ?? "-", default: []].append(outcome.file) }
        let times = outcomes.map(\.milliseconds).sorted()
        return ConfigurationReport(configuration: configuration.name, queries: outcomes.count,
                                   file: .mean(outcomes.map(\.file)), chunk: .mean(outcomes.map(\.chunk)),
                                   categories: byCategory.mapValues(QueryMetrics.mean),
                                   p50Milliseconds: Self.percentile(times, 0.5), p95Milliseconds: Self.percentile(times, 0.95), outcomes: outcomes)
    }

    private func search(_ text: String, _ configuration: EvalConfiguration) throws -> [SearchResult] {
        let job = configuration.job(text)
        var final: [SearchResult] = []
        let stages: SearchStages = configuration.needsModel ? .all : .lexical
        try pipeline.run(job, stages: stages) { update in
            switch update {
            case .lexical(let results, _) where !configuration.needsModel: final = results
            case .done(let results, _): final = results
            default: break
            }
        }
        return final
    }

    private func relative(_ path: String) -> String {
        path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
    }

    /// A query's file- and chunk-level figures for ranked (relative path, first line, last line) results.
    package static func score(_ query: EvalQuery, results: [(path: String, start: Int, end: Int)], milliseconds: Double = 0) -> QueryOutcome {
        var fileGrades: [String: Double] = [:]
        for target in query.relevant { fileGrades[target.path] = max(fileGrades[target.path] ?? 0, target.grade) }
        var seenFiles = Set<String>()
        var orderedFiles: [String] = []
        var fileGains: [Double] = []
        var top: [RankedFile] = []
        for result in results where seenFiles.insert(result.path).inserted {
            let grade = fileGrades[result.path] ?? 0
            orderedFiles.append(result.path)
            fileGains.append(grade)
            if top.count < 10 { top.append(RankedFile(path: result.path, relevant: grade > 0)) }
        }
        var metTargets = Set<Int>()
        var chunkGains: [Double] = []
        for result in results {
            var gain = 0.0
            for (index, target) in query.relevant.enumerated() where !metTargets.contains(index) && target.path == result.path {
                if let lines = target.lines, !(result.start <= lines.upperBound && lines.lowerBound <= result.end) { continue }
                metTargets.insert(index)
                gain = max(gain, target.grade)
            }
            chunkGains.append(gain)
        }
        let firstHundred = Set(orderedFiles.prefix(100))
        let missed = fileGrades.keys.filter { !firstHundred.contains($0) }.sorted()
        return QueryOutcome(id: query.id, query: query.text, category: query.category,
                            file: QueryMetrics(gains: fileGains, relevant: Array(fileGrades.values)),
                            chunk: QueryMetrics(gains: chunkGains, relevant: query.relevant.map(\.grade)),
                            top: top, missed: missed, milliseconds: milliseconds)
    }

    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
    }
}
