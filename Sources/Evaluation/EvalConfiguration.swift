import Foundation
import Search

/// One way of searching that `qwery eval` measures: `MODE[+PRESET][@DIMENSIONS]`.
///
/// Modes: `lexical` (qwery's lexical ranking, no model), `bm25` (FTS5's BM25 over the chunk text alone,
/// no re-ranking: the baseline), `semantic` (vectors only), `hybrid` (both, fused), `rerank` (hybrid, then
/// the reranker over the top results). The
/// ablations `lexical-no-X` switch one mechanism of the lexical ranking off: variants (stems, identifier
/// parts, abbreviations), phrases (multi-word identifiers and neighbouring words), coverage, definitions, pathwords (a
/// sentence's words in a file's name and folder), priors, files (file aggregation), columns (name, folder
/// and symbol columns).
package struct EvalConfiguration: Sendable {
    package enum Mode: String, Sendable, CaseIterable {
        case lexical, bm25, semantic, hybrid, rerank
    }

    package let name: String
    package let mode: Mode
    package var preset: InstructionPreset = .notes
    package var dimensions: Int?
    package var ranking = LexicalRanking()

    package static let ablations = ["variants", "phrases", "coverage", "definitions", "pathwords", "priors", "files", "columns"]

    package var needsModel: Bool { mode != .lexical && mode != .bm25 }
    package var needsReranker: Bool { mode == .rerank }

    /// Parses one `--compare` entry.
    package init(parsing text: String, presets: [InstructionPreset] = InstructionPreset.builtIn) throws(EvalSetError) {
        name = text
        var rest = Substring(text)
        if let at = rest.firstIndex(of: "@") {
            guard let value = Int(rest[rest.index(after: at)...]), value >= 32 else {
                throw EvalSetError(description: "\(text): after @ comes an MRL dimension of 32 or more (e.g. hybrid@256).")
            }
            dimensions = value
            rest = rest[..<at]
        }
        if let plus = rest.firstIndex(of: "+") {
            let presetName = String(rest[rest.index(after: plus)...])
            guard let found = presets.first(where: { $0.name == presetName }) else {
                throw EvalSetError(description: "\(text): no preset \(presetName); presets: \(presets.map(\.name).joined(separator: ", ")).")
            }
            preset = found
            rest = rest[..<plus]
        }
        var modeName = String(rest)
        if modeName.hasPrefix("lexical-no-") {
            let ablation = String(modeName.dropFirst("lexical-no-".count))
            guard Self.ablations.contains(ablation) else {
                throw EvalSetError(description: "\(text): no ablation \(ablation); ablations: \(Self.ablations.map { "lexical-no-" + $0 }.joined(separator: ", ")).")
            }
            Self.switchOff(ablation, in: &ranking)
            modeName = "lexical"
        }
        guard let mode = Mode(rawValue: modeName) else {
            throw EvalSetError(description: "\(text): no mode \(modeName); modes: \(Mode.allCases.map(\.rawValue).joined(separator: ", ")), lexical-no-ABLATION, each with +PRESET and @DIMENSIONS.")
        }
        self.mode = mode
        if mode == .bm25 { ranking = .plainBM25 }
    }

    static func switchOff(_ ablation: String, in ranking: inout LexicalRanking) {
        // The neutral value of each factor is written once, in `LexicalRanking.plainBM25`.
        let plain = LexicalRanking.plainBM25
        switch ablation {
        case "variants": ranking.expandsWords = plain.expandsWords
        case "phrases": ranking.searchesPhrases = plain.searchesPhrases
        case "coverage": ranking.coverageFloor = plain.coverageFloor
        case "definitions":
            ranking.definitionBoost = plain.definitionBoost
            ranking.sentenceDefinitionBoost = plain.sentenceDefinitionBoost
            ranking.fileNameBoost = plain.fileNameBoost
        case "pathwords": ranking.pathWordsBoost = plain.pathWordsBoost
        case "priors":
            ranking.testPrior = plain.testPrior
            ranking.examplePrior = plain.examplePrior
            ranking.vendoredPrior = plain.vendoredPrior
            ranking.generatedPrior = plain.generatedPrior
            ranking.historyPrior = plain.historyPrior
            ranking.overviewPrior = plain.overviewPrior
            ranking.documentationPrior = plain.documentationPrior
        case "files":
            ranking.secondChunk = plain.secondChunk
            ranking.thirdChunk = plain.thirdChunk
            ranking.laterChunkDecay = plain.laterChunkDecay
        case "columns": ranking.columnWeights = [plain.columnWeights[0], ranking.columnWeights[1]] + plain.columnWeights.dropFirst(2)
        default: break
        }
    }

    /// The job this configuration runs for `query`.
    func job(_ query: String) -> SearchJob {
        var options = SearchService.Options()
        options.limit = 100
        options.candidates = 200
        options.instruction = preset.instruction
        options.dimensions = dimensions
        options.ranking = ranking
        options.fusion.perFile = 0
        if mode == .semantic { options.fusion.lexicalWeight = 0 }
        return SearchJob(.text(query), options: options, rerank: needsReranker)
    }
}
