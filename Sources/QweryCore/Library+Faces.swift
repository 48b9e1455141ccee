import Engine
import Foundation
import Indexing
import Search
import Syntax
import Store

/// What the faces ask of a library besides searching: the presets they offer, the model's size, who writes.
extension Library {
    /// The built-in instruction presets, then the config file's `[presets]`.
    package var presets: [InstructionPreset] {
        InstructionPreset.builtIn + settings.config.presets.map { InstructionPreset(name: $0.name, instruction: $0.instruction) }
    }

    /// The preset named (default: the config's, else `notes`), or an error listing them.
    package func preset(named name: String?) throws -> InstructionPreset {
        let wanted = name ?? settings.config.preset ?? "notes"
        guard let found = presets.first(where: { $0.name == wanted }) else {
            throw SettingsError.invalidValue("Unknown preset \(wanted); presets: \(presets.map(\.name).joined(separator: ", ")).")
        }
        return found
    }

    /// The embedding model's full size (its `hidden_size`, read from its config without loading it), nil without a model.
    package func embeddingDimension() throws -> Int? {
        try settings.embeddingModel.value.map { try Qwen3Configuration(contentsOf: $0 + "/config.json").hiddenSize }
    }


    /// The pid of the process holding this index's writer lock, when one does and wrote its pid.
    package var writerPid: Int32? { IndexWriterLock.holder(databasePath: database.path) }
}

// MARK: - Reading inside the folders

extension Library {
    /// How much one `read` returns unless asked for more (256 KiB).
    package static let maximumReadBytes = RootedFile.maximumBytes

    /// The folders as real paths (links resolved): what `read` and `resolve` check paths against.
    package static func realRoots(_ roots: [String]) -> [String] { RootedFile(roots: roots).roots }

    /// A path's real path, when it is inside `roots` (links resolved, never followed out); else why not.
    package func resolve(_ path: String, within roots: [String]) throws -> String {
        try RootedFile(roots: roots).resolve(path)
    }
}

extension Library {
    /// The user's global git excludes (`core.excludesFile`, else `~/.config/git/ignore`), as settings take them.
    package static func globalExcludes() -> [String] { Walker.globalExcludes() }
}

// MARK: - The process

extension Library {
    /// What the qwery executable does before any command: code is parsed in a worker process of this executable
    /// (`syntaxWorker`: its arguments after the executable), so a crashing scanner costs one file. (OpenBLAS loads,
    /// its core corrected, when the engine first needs it: `BLASCore.ready`.)
    package static func prepareProcess(syntaxWorker: [String]) {
        SyntaxWorkerClient.defaultCommand.withLock { $0 = [ExecutablePath.current] + syntaxWorker }
    }

    /// The longest input in tokens unless `--max-tokens` says otherwise.
    package static let defaultMaximumTokens = Embedder.defaultMaximumTokens
}

extension Library {
    /// Languages whose code is chunked along its syntax tree (their grammars load in the syntax worker).
    package static var parsedLanguages: [String] { GrammarReports.shared.usableLanguages }
}
