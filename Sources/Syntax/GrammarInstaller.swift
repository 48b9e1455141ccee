import CProcess
import Corpus
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `qwery grammars install`: builds grammars the way Neovim and Helix do — each grammar's C sources
/// (the pinned PyPI sdist) compiled by the system C compiler into `parser.so` in the grammar folder,
/// beside its `highlights.scm` (from the grammar's wheel). Needs `python3 -m pip` and `cc`, at setup
/// (`./dev.sh` runs it) or on demand; nothing of a grammar is kept in the repository.
package struct GrammarInstaller {
    package struct Failure: Error, CustomStringConvertible {
        package let grammar: String
        package let message: String
        package var description: String { "\(grammar): \(message)" }
    }

    let folder: String
    let log: (String) -> Void

    package init(folder: String = GrammarLibrary.defaultFolder, log: @escaping (String) -> Void = { _ in }) {
        self.folder = folder
        self.log = log
    }

    /// Installs `specs`; returns the failures (the others are installed).
    package func install(_ specs: [GrammarSpec]) -> [Failure] {
        let work = NSTemporaryDirectory() + "qwery-grammars-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            return [Failure(grammar: "all", message: "cannot create \(folder): \(error.localizedDescription)")]
        }
        let headers: String
        do {
            let package = GrammarCatalog.headersPackage
            let sdist = try download(package.name, package.version, binary: false, into: work + "/headers")
            headers = try unpack(sdist, into: work + "/headers") + "/" + package.folder
        } catch let failure as Failure {
            return [failure]
        } catch {
            return [Failure(grammar: "tree-sitter headers", message: "\(error)")]
        }
        var failures: [Failure] = []
        // Unpacked sdists by package: TypeScript, TSX and Swift share tree-sitter-language-pack's.
        var unpacked: [PyPIPackage: String] = [:]
        for spec in specs {
            do {
                let package = spec.sourcePackage
                let top: String
                if let known = unpacked[package] {
                    top = known
                } else {
                    let folder = work + "/sdist-\(unpacked.count)"
                    // A shared sdist (tree-sitter-language-pack 0.9.1: 1 GB unpacked, 160 languages) is unpacked only
                    // in the folders of the grammars this install builds from it.
                    let folders = specs.filter { $0.sourcePackage == package && !$0.sourceFolder.isEmpty }.map(\.sourceFolder)
                    if folders.count > 1 || package == GrammarCatalog.languagePack {
                        let users = specs.filter { $0.sourcePackage == package }.map(\.name).joined(separator: ", ")
                        log("downloading \(package) (about 50 MB, the sources of \(users))")
                    }
                    top = try unpack(try download(package.name, package.version, binary: false, into: folder), into: folder, only: folders)
                    unpacked[package] = top
                }
                try build(spec, sdist: top, headers: headers, work: work + "/" + spec.name)
                log("\(spec.name): installed (\(spec.pinned))")
            } catch let failure as Failure {
                failures.append(failure)
                log(failure.description)
            } catch {
                failures.append(Failure(grammar: spec.name, message: "\(error)"))
            }
        }
        return failures
    }

    private func build(_ spec: GrammarSpec, sdist top: String, headers: String, work: String) throws {
        let source = top + (spec.sourceFolder.isEmpty ? "" : "/" + spec.sourceFolder) + "/src"
        let includes = source + "/tree_sitter"
        try FileManager.default.createDirectory(atPath: includes, withIntermediateDirectories: true)
        // Headers an sdist ships match its parser.c (tree-sitter-language-pack's swift names the ABI field
        // `abi_version`, as 0.25's parser.h does); only missing ones come from tree-sitter 0.23.2.
        for header in ["parser.h", "alloc.h", "array.h", "ts_assert.h"]
        where FileManager.default.fileExists(atPath: headers + "/" + header) && !FileManager.default.fileExists(atPath: includes + "/" + header) {
            try FileManager.default.copyItem(atPath: headers + "/" + header, toPath: includes + "/" + header)
        }
        var sources = [source + "/parser.c"]
        if FileManager.default.fileExists(atPath: source + "/scanner.c") { sources.append(source + "/scanner.c") }
        let staging = folder + "/.\(spec.name)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        // -O1: the generated parse tables compile several times faster than at -O2, and parse within a few percent.
        try run(["cc", "-shared", "-fPIC", "-O1", "-w", "-I", source] + sources + ["-o", staging + "/parser.so"], grammar: spec.name,
                doing: "compile")
        // Highlight queries come from the wheel (any platform's: only the .scm text is taken), wherever its
        // package folder is (`tree_sitter_c-sharp/queries/`).
        if spec.hasHighlightQueries, let wheel = try? download(spec.package, spec.version, binary: true, into: work + "/wheel") {
            let unpacked = work + "/wheel/unpacked"
            if (try? run(["python3", "-m", "zipfile", "-e", wheel, unpacked], grammar: spec.name, doing: "unzip the wheel")) != nil,
               let package = try? FileManager.default.contentsOfDirectory(atPath: unpacked)
                   .first(where: { FileManager.default.fileExists(atPath: unpacked + "/" + $0 + "/queries/highlights.scm") }) {
                let queries = unpacked + "/" + package + "/queries/"
                // highlights.scm, and JavaScript's highlights-jsx.scm (which TSX reads too).
                for file in ["highlights.scm", "highlights-jsx.scm"] where FileManager.default.fileExists(atPath: queries + file) {
                    try FileManager.default.copyItem(atPath: queries + file, toPath: staging + "/" + file)
                }
            }
        }
        try spec.pinned.write(toFile: staging + "/VERSION", atomically: true, encoding: .utf8)
        try String(GrammarCatalog.recipe).write(toFile: staging + "/RECIPE", atomically: true, encoding: .utf8)
        let target = folder + "/" + spec.name
        try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.moveItem(atPath: staging, toPath: target)
    }

    /// Downloads one sdist (or wheel) with pip; returns its path.
    private func download(_ package: String, _ version: String, binary: Bool, into directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var arguments = ["python3", "-m", "pip", "download", "--no-deps", "--quiet", "--disable-pip-version-check", "-d", directory]
        arguments += binary
            ? ["--only-binary", ":all:", "--platform", "manylinux2014_x86_64", "--python-version", "3.11", "--implementation", "cp"]
            : ["--no-binary", ":all:"]
        try run(arguments + ["\(package)==\(version)"], grammar: package, doing: "download \(package) \(version) from PyPI")
        let suffix = binary ? ".whl" : ".tar.gz"
        guard let file = try FileManager.default.contentsOfDirectory(atPath: directory).first(where: { $0.hasSuffix(suffix) }) else {
            throw Failure(grammar: package, message: "pip downloaded no \(suffix) file")
        }
        return directory + "/" + file
    }

    /// Unpacks an sdist (only `only`'s folders below its top one, when given); returns its top folder.
    private func unpack(_ archive: String, into directory: String, only folders: [String] = []) throws -> String {
        let target = directory + "/unpacked"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let members = folders.isEmpty ? [] : ["--wildcards"] + folders.map { "*/" + $0 + "/*" }
        try run(["tar", "-xzf", archive, "-C", target] + members, grammar: archive, doing: "unpack")
        guard let top = try FileManager.default.contentsOfDirectory(atPath: target).first else {
            throw Failure(grammar: archive, message: "the archive is empty")
        }
        return target + "/" + top
    }

    /// Runs a command (found on PATH) to its end; its output goes to the log only on failure.
    private func run(_ arguments: [String], grammar: String, doing what: String) throws {
        let output = NSTemporaryDirectory() + "qwery-grammar-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let status: Int32
        switch ChildProcess.run(arguments, input: .null, output: .file(output), error: .output) {
        case .success(let ended): status = ended
        case .failure(let failure):
            throw Failure(grammar: grammar, message: "cannot \(what): \(failure.reason); install \(arguments[0])")
        }
        guard status == 0 else {
            let said = ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").split(separator: "\n").suffix(3).joined(separator: " | ")
            throw Failure(grammar: grammar, message: "cannot \(what) (\(arguments[0]) exited with \(status >> 8)): \(said)")
        }
    }
}
