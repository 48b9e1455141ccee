import Foundation

/// `qwery eval`'s table, JSON and per-query details.
package enum EvalOutput {
    package struct Context: Sendable, Codable {
        package let folder: String
        package let queries: Int
        package let cpu: String
        package let embeddingModel: String?
        package let reranker: String?

        package init(folder: String, queries: Int, cpu: String, embeddingModel: String?, reranker: String?) {
            self.folder = folder
            self.queries = queries
            self.cpu = cpu
            self.embeddingModel = embeddingModel
            self.reranker = reranker
        }
    }

    /// One row per configuration (file level, then chunk level), then nDCG@10 per category.
    package static func table(_ reports: [ConfigurationReport], context: Context) -> String {
        var lines = ["\(context.queries) queries over \(context.folder)", "CPU: \(context.cpu)",
                     "models: \(context.embeddingModel ?? "none") / reranker \(context.reranker ?? "none")", ""]
        let width = max(14, reports.map(\.configuration.count).max() ?? 0)
        func pad(_ text: String, _ count: Int) -> String { text.count >= count ? text : text + String(repeating: " ", count: count - text.count) }
        func number(_ value: Double) -> String { String(format: "%.3f", value) }
        lines.append(pad("configuration", width) + "  file: nDCG@10  R@10   R@100  MRR@10 │ chunk: nDCG@10  R@10   R@100 │  p50 ms  p95 ms")
        for report in reports {
            let f = report.file, c = report.chunk
            lines.append(pad(report.configuration, width) + "        " + [f.ndcg10, f.recall10, f.recall100, f.mrr10].map(number).joined(separator: "  ")
                         + " │         " + [c.ndcg10, c.recall10, c.recall100].map(number).joined(separator: "  ")
                         + " │ " + String(format: "%7.1f %7.1f", report.p50Milliseconds, report.p95Milliseconds))
        }
        let categories = Set(reports.flatMap { $0.categories.keys }).sorted()
        if categories.count > 1 {
            lines.append("")
            lines.append(pad("nDCG@10 (file)", width) + "  " + categories.map { pad($0, 12) }.joined(separator: " "))
            for report in reports {
                lines.append(pad(report.configuration, width) + "  " + categories.map { pad(report.categories[$0].map { number($0.ndcg10) } ?? "-", 12) }.joined(separator: " "))
            }
        }
        return lines.joined(separator: "\n")
    }

    private struct Summary: Codable {
        let context: Context
        let configurations: [Row]
        struct Row: Codable {
            let configuration: String
            let queries: Int
            let file: QueryMetrics
            let chunk: QueryMetrics
            let categories: [String: QueryMetrics]
            let p50Milliseconds: Double
            let p95Milliseconds: Double
        }
    }

    package static func json(_ reports: [ConfigurationReport], context: Context) throws -> String {
        let rows = reports.map { Summary.Row(configuration: $0.configuration, queries: $0.queries, file: $0.file, chunk: $0.chunk,
                                             categories: $0.categories, p50Milliseconds: $0.p50Milliseconds, p95Milliseconds: $0.p95Milliseconds) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(Summary(context: context, configurations: rows)), as: UTF8.self)
    }

    /// One JSON line per (configuration, query): its figures, its top ten files, what it missed.
    package static func writeDetails(_ reports: [ConfigurationReport], to path: String) throws {
        struct Line: Codable {
            let configuration: String
            let outcome: QueryOutcome
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var text = ""
        for report in reports {
            for outcome in report.outcomes {
                text += String(decoding: try encoder.encode(Line(configuration: report.configuration, outcome: outcome)), as: UTF8.self) + "\n"
            }
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
