import ArgumentParser
import Foundation
import QweryCore
import Synchronization

/// The command line's side of `Settings`: the option groups a command has become `Settings.Flags`, resolved
/// against this process's environment and config file; `Library.open` gives the command its core.
enum CommandLineSettings {
    static func flags(storage: StorageOptions? = nil, models: ModelOptions? = nil, engine: EngineOptions? = nil,
                      maximumFileSize: Int64? = nil, walking: WalkOptions? = nil) -> Settings.Flags {
        Settings.Flags(index: storage?.db, model: models?.model, reranker: models?.reranker,
                       precision: engine?.precision?.precision, rerankPrecision: engine?.rerankPrecision?.precision,
                       maximumTokens: engine?.maximumTokens, maximumFileSize: maximumFileSize,
                       followSymlinks: walking?.followSymlinks)
    }

    static func resolve(storage: StorageOptions? = nil, models: ModelOptions? = nil, engine: EngineOptions? = nil,
                        maximumFileSize: Int64? = nil, walking: WalkOptions? = nil) throws -> Settings {
        let settings = try Settings.resolve(flags(storage: storage, models: models, engine: engine, maximumFileSize: maximumFileSize,
                                                  walking: walking),
                                            environment: ProcessInfo.processInfo.environment, config: ConfigFile.load(),
                                            globalExcludes: Library.globalExcludes())
        for note in settings.notes { noteOnce(note) }
        return settings
    }

    /// A note on stderr, once per process however many times settings are resolved.
    static func noteOnce(_ note: String) {
        guard said.withLock({ $0.insert(note).inserted }) else { return }
        FileHandle.standardError.write(Data("qwery: \(note).\n".utf8))
    }

    private static let said = Mutex<Set<String>>([])
}

extension Library {
    /// The core for a command: its settings resolved once, the index opened (`.readOnly` never creates or
    /// changes a file; `verify` runs quick_check before long writes), notices on stderr.
    static func open(storage: StorageOptions, models: ModelOptions? = nil, engine: EngineOptions? = nil,
                     maximumFileSize: Int64? = nil, walking: WalkOptions? = nil, access: IndexAccess = .readWrite,
                     verify: Bool = false, notice: @escaping @Sendable (String) -> Void = { CommandLineSettings.noteOnce($0) },
                     progress: (@Sendable (String?) -> Void)? = nil, oneShot: Bool = false) throws -> Library {
        let settings = try CommandLineSettings.resolve(storage: storage, models: models, engine: engine, maximumFileSize: maximumFileSize,
                                                       walking: walking)
        return try Library(settings: oneShot ? settings.forOneShot() : settings, access: access, verify: verify, notice: notice,
                           progress: progress)
    }
}
