import Engine
import Foundation

/// Everything qwery decides before it opens an index or loads a model, resolved once, in one order for
/// every face: command-line flags, then environment variables, then the config file, then what is found
/// on disk (models) or the default. Each value keeps where it came from, for `qwery config`.
package struct Settings: Sendable {
    /// What the command line gave; nil where a flag was not given.
    package struct Flags: Sendable {
        package var index: String?
        package var model: String?
        package var reranker: String?
        package var precision: Precision?
        package var rerankPrecision: Precision?
        package var maximumTokens: Int?
        package var maximumFileSize: Int64?
        package var followSymlinks: Bool?

        package init(index: String? = nil, model: String? = nil, reranker: String? = nil, precision: Precision? = nil,
                    rerankPrecision: Precision? = nil, maximumTokens: Int? = nil, maximumFileSize: Int64? = nil,
                    followSymlinks: Bool? = nil) {
            self.index = index
            self.model = model
            self.reranker = reranker
            self.precision = precision
            self.rerankPrecision = rerankPrecision
            self.maximumTokens = maximumTokens
            self.maximumFileSize = maximumFileSize
            self.followSymlinks = followSymlinks
        }
    }

    /// Where a value came from.
    package enum Source: Sendable, Equatable, CustomStringConvertible {
        case flag
        case environment(String)
        case configFile(String)
        case discovered(String)
        case defaultValue(String)

        package var description: String {
            switch self {
            case .flag: return "command-line flag"
            case .environment(let key): return "environment \(key)"
            case .configFile(let path): return "config file \(path)"
            case .discovered(let place): return "found on disk (\(place))"
            case .defaultValue(let why): return why
            }
        }
    }

    /// A value and its source.
    package struct Resolved<Value: Sendable>: Sendable {
        package let value: Value
        package let source: Source
    }

    /// The index file.
    package let indexPath: Resolved<String>
    /// The Qwen3-Embedding folder; nil: lexical search only.
    package let embeddingModel: Resolved<String?>
    /// The Qwen3-Reranker folder; nil: no reranking.
    package let reranker: Resolved<String?>
    /// The precisions that run on this CPU (a `fast` asked for where it is slower than exact runs exact).
    package let precision: Resolved<Precision>
    package let rerankPrecision: Resolved<Precision>
    /// No flag, variable or config chose the precision: the model slot measures it (`PrecisionChoice`);
    /// until then `precision` holds exact.
    package let measuresPrecision: Bool
    package let measuresRerankPrecision: Bool
    package let maximumTokens: Int
    /// Files larger than this are skipped.
    package let maximumFileSize: Int64
    /// Ignore patterns beyond each folder's .gitignore/.ignore: the global git excludes, then the config's.
    package let extraIgnorePatterns: [String]
    /// Symbolic links are followed when their target is inside the folder being indexed (`--follow`,
    /// `follow_symlinks = true`); never outside it, whatever this says.
    package let followSymlinks: Bool
    /// The config file as read (folders, presets, theme, dimensions…).
    package let config: ConfigFile
    /// Things worth one line on stderr: a precision that cannot run here, what runs instead.
    package let notes: [String]

    /// The settings of a one-shot command (a grep-mode search, then exit): where nobody chose a precision, exact rather than a
    /// measured one. The measured choice is the fastest per document over hours of indexing; for one query it is the
    /// load that counts, and exact keeps the weights as stored (0.3 s) where fast prepares packed ones (about 1 s):
    /// a cold `qwery search --vimgrep` 0.5 s instead of 1.5 s with the 0.6B model. `qwery watch` keeps the measured
    /// choice, warm, for every face.
    package func forOneShot() -> Settings {
        guard measuresPrecision || measuresRerankPrecision else { return self }
        let why = Source.defaultValue("exact: a one-shot search loads it fastest")
        return Settings(indexPath: indexPath, embeddingModel: embeddingModel, reranker: reranker,
                        precision: measuresPrecision ? Resolved(value: .exact, source: why) : precision,
                        rerankPrecision: measuresRerankPrecision ? Resolved(value: .exact, source: why) : rerankPrecision,
                        measuresPrecision: false, measuresRerankPrecision: false, maximumTokens: maximumTokens,
                        maximumFileSize: maximumFileSize, extraIgnorePatterns: extraIgnorePatterns, followSymlinks: followSymlinks,
                        config: config, notes: notes)
    }

    /// Resolves flags → environment → config file → discovery. `discover` finds a model of a role on disk
    /// (`ModelLocator.first` for the real program, a stub in tests); `globalExcludes` the user's git excludes.
    package static func resolve(
        _ flags: Flags, environment: [String: String], config: ConfigFile,
        discover: (ModelLocator.Role) -> ModelLocator.Found? = ModelLocator.first,
        globalExcludes: [String] = []
    ) throws(SettingsError) -> Settings {
        func variable(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        let file = config.path ?? "(none)"

        let indexPath: Resolved<String>
        if let path = flags.index {
            indexPath = Resolved(value: expandingTilde(path), source: .flag)
        } else if let dataHome = variable("XDG_DATA_HOME") {
            indexPath = Resolved(value: dataHome + "/qwery/index.sqlite", source: .environment("XDG_DATA_HOME"))
        } else {
            indexPath = Resolved(value: NSHomeDirectory() + "/.local/share/qwery/index.sqlite", source: .defaultValue("default"))
        }

        func model(_ flag: String?, key: String, configured: String?, role: ModelLocator.Role, what: String) throws(SettingsError) -> Resolved<String?> {
            let chosen: (String, Source)? = flag.map { ($0, .flag) } ?? variable(key).map { ($0, .environment(key)) }
                ?? configured.flatMap { $0.isEmpty ? nil : ($0, .configFile(file)) }
            if let (path, source) = chosen { return Resolved(value: try modelFolder(path, what: what), source: source) }
            if let found = discover(role) { return Resolved(value: found.folder, source: .discovered(found.source)) }
            return Resolved(value: nil, source: .defaultValue("none found"))
        }
        let embeddingModel = try model(flags.model, key: "QWERY_MODEL", configured: config.model, role: .embedding, what: "embedding model")
        let reranker = try model(flags.reranker, key: "QWERY_RERANKER", configured: config.reranker, role: .reranker, what: "reranker")

        func precision(_ flag: Precision?, key: String, configured: String?) throws(SettingsError) -> (Precision, Source)? {
            if let flag { return (flag, .flag) }
            if let value = variable(key) {
                guard let parsed = Precision(rawValue: value) else { throw .unknownPrecision(value, source: "environment \(key)") }
                return (parsed, .environment(key))
            }
            if let value = configured {
                guard let parsed = Precision(rawValue: value) else { throw .unknownPrecision(value, source: "config file \(file)") }
                return (parsed, .configFile(file))
            }
            return nil
        }
        var notes: [String] = []
        func runnable(_ chosen: (Precision, Source)) -> Resolved<Precision> {
            let (runs, note) = chosen.0.effective
            if let note, !notes.contains(note) { notes.append(note) }
            return Resolved(value: runs, source: chosen.1)
        }
        let chosen = try precision(flags.precision, key: "QWERY_PRECISION", configured: config.precision)
        let chosenForReranker = try precision(flags.rerankPrecision, key: "QWERY_RERANK_PRECISION", configured: config.rerankPrecision)
        let measured = Source.defaultValue("measured on this CPU and model when it loads: the fastest faithful precision")
        let precisionResolved = runnable(chosen ?? (.exact, measured))
        let rerankResolved = runnable(chosenForReranker
            ?? chosen.map { ($0.0, .defaultValue("same as precision")) }
            ?? (.exact, measured))

        let maximumTokens = flags.maximumTokens ?? Embedder.defaultMaximumTokens
        guard maximumTokens >= 2 else { throw .invalidValue("--max-tokens must be at least 2 (got \(maximumTokens)).") }
        let maximumFileSize = flags.maximumFileSize ?? Int64(config.maximumFileSize ?? 2_000_000)
        guard maximumFileSize > 0 else { throw .invalidValue("--max-file-size must be positive (got \(maximumFileSize)).") }

        return Settings(indexPath: indexPath, embeddingModel: embeddingModel, reranker: reranker,
                        precision: precisionResolved, rerankPrecision: rerankResolved, measuresPrecision: chosen == nil,
                        measuresRerankPrecision: chosen == nil && chosenForReranker == nil, maximumTokens: maximumTokens,
                        maximumFileSize: maximumFileSize, extraIgnorePatterns: globalExcludes + (config.ignore ?? []),
                        followSymlinks: flags.followSymlinks ?? config.followSymlinks ?? false, config: config, notes: notes)
    }

    private static func expandingTilde(_ path: String) -> String { (path as NSString).expandingTildeInPath }

    /// A model folder named by the user: it must exist, be a folder and hold config.json.
    static func modelFolder(_ path: String, what: String) throws(SettingsError) -> String {
        let expanded = expandingTilde(path)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: expanded, isDirectory: &isFolder) else {
            throw .modelFolder("The \(what) folder \(path) does not exist. Name a model folder (with config.json, tokenizer.json and *.safetensors), or see `qwery models`.")
        }
        guard isFolder.boolValue else {
            throw .modelFolder("The \(what) \(path) is a file; name the model's folder (the one holding config.json).")
        }
        guard FileManager.default.fileExists(atPath: expanded + "/config.json") else {
            throw .modelFolder("The \(what) folder \(path) has no config.json: it is not a Hugging Face model folder.")
        }
        return expanded
    }
}

/// A setting qwery cannot use, said so the user knows what to change.
package enum SettingsError: Error, Equatable, CustomStringConvertible, LocalizedError {
    case modelFolder(String)
    case unknownPrecision(String, source: String)
    case invalidValue(String)
    case noFolders

    package var description: String {
        switch self {
        case .modelFolder(let message), .invalidValue(let message): return message
        case .unknownPrecision(let value, let source):
            return "\(value) (from \(source)) is not a precision; use one of: \(Precision.allCases.map(\.rawValue).joined(separator: ", "))."
        case .noFolders: return "Name a folder to index, e.g. `qwery index ~/notes`."
        }
    }

    package var errorDescription: String? { description }
}
