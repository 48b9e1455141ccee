import Foundation
import Search

/// The config file's `[ranking]` table: how much a file of each kind weighs in lexical ranking, in percent of a
/// source file's weight (100: not demoted; 0 would hide it, which a prior never does, so 0 counts as 1 %). The
/// defaults are the built-in priors measured with `qwery eval` (README Performance, the ablation table).
///
/// ```toml
/// [ranking]
/// tests = 100          # a codebase whose tests are what you search for
/// documentation = 50   # under the code preset, docs further down
/// ```
package enum RankingSettings {
    package static let keys = ["tests", "examples", "vendored", "generated", "history", "overviews", "documentation"]

    /// The built-in ranking with the config's priors over it.
    package static func ranking(_ config: ConfigFile) -> LexicalRanking {
        var ranking = LexicalRanking()
        func weight(_ key: String) -> Double? { config.ranking[key].map { max(1, Double($0)) / 100 } }
        if let value = weight("tests") { ranking.testPrior = value }
        if let value = weight("examples") { ranking.examplePrior = value }
        if let value = weight("vendored") { ranking.vendoredPrior = value }
        if let value = weight("generated") { ranking.generatedPrior = value }
        if let value = weight("history") { ranking.historyPrior = value }
        if let value = weight("overviews") { ranking.overviewPrior = value }
        if let value = weight("documentation") { ranking.documentationPrior = value }
        return ranking
    }

    /// (key, percent in force, whether the config set it) for `qwery config`, in a stable order.
    package static func rows(_ config: ConfigFile) -> [(key: String, value: Int, configured: Bool)] {
        let ranking = LexicalRanking()
        let defaults = [ranking.testPrior, ranking.examplePrior, ranking.vendoredPrior, ranking.generatedPrior, ranking.historyPrior,
                        ranking.overviewPrior, ranking.documentationPrior]
        return zip(keys, defaults).map { key, value in
            (key, config.ranking[key] ?? Int((value * 100).rounded()), config.ranking[key] != nil)
        }
    }
}
