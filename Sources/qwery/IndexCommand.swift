import ArgumentParser
import Foundation
import QweryCore

/// `qwery index FOLDER...`: bring the index up to date with folders (the TUI runs the same code).
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Index folders: new and changed files are chunked and embedded, deleted ones removed."
    )

    @Argument(help: "Folders to index (default: the folders already in the index).")
    var folders: [String] = []

    @OptionGroup var storage: StorageOptions
    @OptionGroup var models: ModelOptions
    @OptionGroup var engine: EngineOptions
    @OptionGroup var walking: WalkOptions

    @Option(name: .customLong("max-file-size"), help: "Skip files larger than this many bytes (default 2,000,000).")
    var maximumFileSize: Int64?

    @Flag(name: .long, help: "Only update the lexical index; leave embedding for later.")
    var noEmbed = false

    @Flag(name: .long, help: "Build a fresh index beside a damaged one, reusing every vector that can be read, then replace it.")
    var rebuild = false

    func validate() throws {
        if let maximumFileSize, maximumFileSize < 1 {
            throw ValidationError("--max-file-size must be a positive number of bytes (got \(maximumFileSize)).")
        }
    }

    func run() throws {
        if rebuild { return try rebuildIndex() }
        let library = try Library.open(storage: storage, models: models, engine: engine, maximumFileSize: maximumFileSize,
                                       walking: walking, verify: true)
        let roots = try library.roots(naming: folders)
        let progress = ProgressDisplay()
        // One writer per index: waits for a screen or another `qwery index` that holds it.
        let summary = try library.index(roots: roots, embed: !noEmbed) { progress.show($0) }
        progress.finish(summary)
        // An unreadable folder kept its files; the run did not do what was asked.
        if !summary.unreadableRoots.isEmpty { throw ExitCode(1) }
    }

    /// `--rebuild`: salvage, index into the staging file, then move it over the damaged one.
    private func rebuildIndex() throws {
        let settings = try CommandLineSettings.resolve(storage: storage, models: models, engine: engine, maximumFileSize: maximumFileSize,
                                                       walking: walking)
        let path = settings.indexPath.value
        let progress = ProgressDisplay()
        let summary = try Library.rebuild(settings: settings, folders: folders, embed: !noEmbed, notice: { CommandLineSettings.noteOnce($0) },
                                          started: { vectors, roots in
            FileHandle.standardError.write(Data("qwery: rebuilding \(path): reused \(vectors) vectors and \(roots) folders of the old index\n".utf8))
        }, report: { progress.show($0) })
        progress.finish(summary)
        FileHandle.standardError.write(Data("qwery: the rebuilt index replaced \(path)\n".utf8))
    }
}
