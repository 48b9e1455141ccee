import Corpus
import Foundation
import Indexing
import Syntax

/// `qwery bench --code FOLDER`: chunking speed per language over the source files under a folder, with the
/// grammar (parse + outline + chunks) in-process, through the syntax worker as indexing runs it, and with the
/// indentation chunker, so the parser's and the worker's costs show.
package struct CodeBenchRunner {
    package struct LanguageFigures: Codable, Sendable {
        package var language: String
        package var files = 0
        package var megabytes = 0.0
        package var chunks = 0
        package var syntaxSeconds = 0.0
        /// The same through `qwery syntax-worker` (nil when no worker is set: tests).
        package var workerSeconds: Double?
        package var fallbackSeconds = 0.0

        package var filesPerSecond: Double { syntaxSeconds > 0 ? Double(files) / syntaxSeconds : 0 }
        package var megabytesPerSecond: Double { syntaxSeconds > 0 ? megabytes / syntaxSeconds : 0 }
    }

    let folder: String
    let grammars: GrammarLibrary
    let worker: SyntaxWorkerClient?

    package init(folder: String, grammars: GrammarLibrary = .shared, worker: SyntaxWorkerClient? = SyntaxWorkerClient.makeDefault()) {
        self.folder = folder
        self.grammars = grammars
        self.worker = worker
    }

    package func run() -> [LanguageFigures] {
        var figures: [String: LanguageFigures] = [:]
        var withGrammar = Chunker(tokenizer: nil)
        withGrammar.grammars = grammars
        var fallback = Chunker(tokenizer: nil)
        fallback.grammars = nil
        var throughWorker = withGrammar
        throughWorker.syntaxWorker = worker
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let relative = enumerator?.nextObject() as? String {
            // YAML's keys come from libyaml; every other language from its installed grammar.
            let language = YAMLOutline.handles(path: relative) ? "yaml"
                : GrammarCatalog.spec(forPath: relative).flatMap { grammars.grammar($0) != nil ? $0.name : nil }
            guard let language else { continue }
            let path = folder + "/" + relative
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  (attributes[.type] as? FileAttributeType) == .typeRegular, (attributes[.size] as? Int ?? 0) < 1 << 20,
                  let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            var entry = figures[language] ?? LanguageFigures(language: language)
            let start = DispatchTime.now().uptimeNanoseconds
            entry.chunks += withGrammar.chunks(of: text, path: path).count
            let middle = DispatchTime.now().uptimeNanoseconds
            _ = fallback.chunks(of: text, path: path)
            let end = DispatchTime.now().uptimeNanoseconds
            entry.syntaxSeconds += Double(middle - start) / 1e9
            entry.fallbackSeconds += Double(end - middle) / 1e9
            if worker != nil {
                _ = throughWorker.chunks(of: text, path: path)
                entry.workerSeconds = (entry.workerSeconds ?? 0) + Double(DispatchTime.now().uptimeNanoseconds - end) / 1e9
            }
            entry.files += 1
            entry.megabytes += Double(text.utf8.count) / 1e6
            figures[language] = entry
        }
        return (GrammarCatalog.all.map(\.name) + ["yaml"]).compactMap { figures[$0] }
    }
}
