import ArgumentParser
import Foundation
import QweryCore
import Syntax

/// `qwery grammars`: the tree-sitter grammars code is chunked and highlighted with.
struct GrammarsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grammars",
        abstract: "List or install the tree-sitter grammars that chunk and highlight code.",
        subcommands: [List.self, Install.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each language: installed (and its version), missing, or unusable and why.")

        func run() throws {
            print("grammars: \(GrammarLibrary.shared.folder)")
            for spec in GrammarCatalog.all {
                let state: String
                let report = GrammarReports.shared.report(spec)
                switch report.availability {
                case .loaded(let version) where version == spec.pinned:
                    let dropped = report.droppedHighlightPatterns
                    state = "installed \(version)" + (dropped > 0 ? "; \(dropped) highlight pattern(s) do not fit it and are left out" : "")
                case .loaded(let version): state = "installed \(version); rebuild: qwery grammars install \(spec.name) (pinned: \(spec.pinned))"
                case .notInstalled: state = "missing (qwery grammars install \(spec.name)); indentation chunks"
                case .unusable(let why): state = "unusable: \(why); indentation chunks"
                }
                // Padded, never cut: the reason a grammar is missing or unusable is the point of the line.
                let files = "." + spec.extensions.joined(separator: " .")
                print(spec.name.padding(toLength: 11, withPad: " ", startingAt: 0) + files.padding(toLength: max(22, files.count), withPad: " ", startingAt: 0)
                      + " " + state)
            }
            print("yaml".padding(toLength: 11, withPad: " ", startingAt: 0) + ".yaml .yml".padding(toLength: 22, withPad: " ", startingAt: 0)
                  + " keys read with libyaml (no grammar to install)")
        }
    }

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build grammars from their PyPI sdists (needs python3 -m pip and cc).",
            discussion: "Pinned versions: " + GrammarCatalog.all.map { "\($0.name) \($0.pinned)" }.joined(separator: ", ")
        )

        @Argument(help: "Languages to install (default: all of them).")
        var languages: [String] = []

        @Flag(help: "Only the languages not installed at their pinned version (what ./dev.sh runs).")
        var missing = false

        func run() throws {
            var specs: [GrammarSpec] = []
            for name in languages {
                guard let spec = GrammarCatalog.spec(named: name) else {
                    throw ValidationError("no grammar named \(name); the languages are \(GrammarCatalog.all.map(\.name).joined(separator: ", "))")
                }
                specs.append(spec)
            }
            if specs.isEmpty { specs = GrammarCatalog.all }
            if missing {
                specs = specs.filter { GrammarReports.shared.report($0).availability != .loaded(version: $0.pinned) }
                guard !specs.isEmpty else { return print("qwery grammars: every grammar is installed at its pinned version") }
            }
            let before = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, GrammarReports.shared.report($0).availability) })
            let installer = GrammarInstaller { line in FileHandle.standardError.write(Data("qwery grammars: \(line)\n".utf8)) }
            let failures = installer.install(specs)
            if !failures.isEmpty {
                // Not a usage error (exit 64): the command line was right, a download or a build failed.
                for failure in failures {
                    FileHandle.standardError.write(Data("qwery grammars: not installed: \(failure.description)\n".utf8))
                }
                // What each language asked for keeps (a shared download, like the parser headers, fails them all).
                let failed = Set(failures.map(\.grammar))
                let shared = !failed.isSubset(of: Set(specs.map(\.name)))
                for spec in specs where shared || failed.contains(spec.name) {
                    let kept: String
                    if case .loaded(let version)? = before[spec.name] {
                        kept = "keeps the grammar it had (\(version))"
                    } else {
                        kept = "keeps the indentation chunker"
                    }
                    FileHandle.standardError.write(Data("qwery grammars: \(spec.name) \(kept)\n".utf8))
                }
                throw ExitCode(1)
            }
        }
    }
}
