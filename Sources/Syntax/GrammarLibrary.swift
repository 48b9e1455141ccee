import CTreeSitter
import Foundation
import Synchronization

/// A loaded grammar: the language and its highlight query source.
package final class Grammar: Sendable {
    package let spec: GrammarSpec
    private let handle: ReadOnlyHandle
    var language: OpaquePointer { handle.pointer }
    /// `highlights.scm` (inherited queries first); empty when the grammar shipped none.
    package let highlights: String

    init(spec: GrammarSpec, language: OpaquePointer, highlights: String) {
        self.spec = spec
        handle = ReadOnlyHandle(language)
        self.highlights = highlights
    }

    private let compiledQuery = Mutex<HighlightQuery??>(nil)

    /// How many highlight patterns do not fit this grammar and are left out (`qwery grammars` says so).
    package var droppedHighlightPatterns: Int { highlightQuery?.dropped.count ?? 0 }

    /// The highlight query, compiled on first use and kept (nil without queries or when none compiles).
    var highlightQuery: HighlightQuery? {
        compiledQuery.withLock { cached in
            if let known = cached { return known }
            let query = highlights.isEmpty ? nil : HighlightQuery.compile(highlights, language: language)
            cached = .some(query)
            return query
        }
    }
}

/// Finds and loads compiled grammars: `$QWERY_GRAMMARS`, else `$XDG_DATA_HOME/qwery/grammars`
/// (`~/.local/share/qwery/grammars`), one folder per language with `parser.so` and `highlights.scm`.
/// Each is opened once per process with `dlopen`; a missing or incompatible one is remembered as such.
package final class GrammarLibrary: Sendable {
    package let folder: String
    private let loaded = Mutex<[String: Grammar?]>([:])
    private let installed = Mutex<[String: String?]>([:])

    package init(folder: String = GrammarLibrary.defaultFolder) {
        self.folder = folder
    }

    package static let shared = GrammarLibrary()

    package static var defaultFolder: String {
        let environment = ProcessInfo.processInfo.environment
        if let folder = environment["QWERY_GRAMMARS"], !folder.isEmpty { return folder }
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.local/share"
        return data + "/qwery/grammars"
    }

    /// Why a grammar is not available, or nil when it loads.
    package enum Availability: Error, Equatable, Sendable, Codable {
        case loaded(version: String)
        case notInstalled
        case unusable(String)
    }

    /// What is installed for `spec` — its version and when its parser was built — read without loading it (a walk
    /// over unchanged files must not load every grammar); nil when nothing is. Read once per process.
    package func installedIdentity(_ spec: GrammarSpec) -> String? {
        if let known = installed.withLock({ $0[spec.name] }) { return known }
        let built = (try? FileManager.default.attributesOfItem(atPath: folder + "/\(spec.name)/parser.so"))?[.modificationDate] as? Date
        let version = installedText(spec, "VERSION")
        let identity = built.map { (version ?? "unknown version") + " built " + String(Int64($0.timeIntervalSince1970)) }
        installed.withLock { $0[spec.name] = identity }
        return identity
    }

    /// The grammar for `path`'s language, nil when there is none (the file keeps the indentation chunker).
    package func grammar(forPath path: String) -> Grammar? {
        GrammarCatalog.spec(forPath: path).flatMap { grammar($0) }
    }

    package func grammar(_ spec: GrammarSpec) -> Grammar? {
        if let known = loaded.withLock({ $0[spec.name] }) { return known }
        let grammar = try? load(spec).get()
        loaded.withLock { $0[spec.name] = grammar }
        return grammar
    }

    package func availability(_ spec: GrammarSpec) -> Availability {
        switch load(spec) {
        case .success:
            let version = installedText(spec, "VERSION") ?? spec.version
            // Built by an older `qwery grammars install` (fewer query files): listed as such, rebuilt by --missing.
            let recipe = installedText(spec, "RECIPE").flatMap(Int.init) ?? 1
            return .loaded(version: recipe < GrammarCatalog.recipe ? version + ", built by an older qwery" : version)
        case .failure(let availability): return availability
        }
    }

    /// A small text file the installer wrote beside the grammar (`VERSION`, `RECIPE`), trimmed.
    private func installedText(_ spec: GrammarSpec, _ file: String) -> String? {
        (try? String(contentsOfFile: folder + "/\(spec.name)/" + file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func load(_ spec: GrammarSpec) -> Result<Grammar, Availability> {
        let library = folder + "/\(spec.name)/parser.so"
        guard FileManager.default.fileExists(atPath: library) else { return .failure(.notInstalled) }
        guard let handle = dlopen(library, RTLD_NOW | RTLD_LOCAL) else {
            return .failure(.unusable(dlerror().map { String(cString: $0) } ?? "dlopen failed"))
        }
        guard let symbol = dlsym(handle, spec.function) else {
            return .failure(.unusable("\(library) has no \(spec.function)"))
        }
        typealias LanguageFunction = @convention(c) () -> OpaquePointer?
        guard let language = unsafeBitCast(symbol, to: LanguageFunction.self)() else {
            return .failure(.unusable("\(spec.function) returned nothing"))
        }
        let version = ts_language_version(language)
        guard version >= TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION, version <= TREE_SITTER_LANGUAGE_VERSION else {
            return .failure(.unusable("ABI \(version); this tree-sitter runtime reads \(TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION)–\(TREE_SITTER_LANGUAGE_VERSION)"))
        }
        var files = (spec.inheritsHighlights + [spec.name]).map { folder + "/\($0)/highlights.scm" }
        if spec.hasJSX { files.append(folder + "/javascript/highlights-jsx.scm") }
        let queries = files.compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }
        return .success(Grammar(spec: spec, language: language, highlights: queries.joined(separator: "\n")))
    }
}
