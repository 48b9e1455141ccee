import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The second hostile pass through the real binary (issue #25): creation races, numeric options near
/// Int.max, configuration files qwery cannot read, and permissions — the last run as user `nobody`
/// through setpriv, since the tests run as root, whom no permission stops.
@Suite("Hostile commands, second round", .serialized)
struct HostileCommandTests {
    /// A world-writable scratch folder (so `nobody` can work in it), removed afterwards.
    final class Scratch {
        let root: String
        let environment: [String: String]

        init() throws {
            let base = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-hostile-\(UUID().uuidString)")
            root = base.resolvingSymlinksInPath().path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            chmod(root, 0o777)
            environment = ["QWERY_MODEL": "", "QWERY_RERANKER": "", "QWERY_CONFIG": root + "/none.toml", "NO_COLOR": "1",
                           "XDG_DATA_HOME": root + "/data", "HF_HOME": root + "/hf", "HOME": root,
                           "QWERY_TOKENIZER": QweryProcess.fixtures + "/tokenizer/qwen3-tokenizer.json"]
        }

        deinit {
            _ = try? ChildProcess.run("/bin/chmod", ["-R", "u+rwx", root])
            try? FileManager.default.removeItem(atPath: root)
        }

        func write(_ relative: String, _ text: String) throws {
            let path = root + "/" + relative
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: false, encoding: .utf8)
        }

        func qwery(_ arguments: [String], environment extra: [String: String] = [:]) throws -> QweryProcess.Result {
            try QweryProcess.run(arguments, environment: environment.merging(extra) { $1 })
        }

        /// Runs qwery as user `nobody` (uid 65534): everything it touches is handed to that user first.
        func qweryAsNobody(_ arguments: [String]) throws -> QweryProcess.Result {
            let result = try ChildProcess.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", QweryProcess.executable]
                                                + arguments, environment: environment)
            return QweryProcess.Result(status: result.status, standardOutput: result.standardOutput, standardError: result.standardError)
        }

        func giveToNobody() throws {
            _ = try ChildProcess.run("/bin/chown", ["-R", "65534:65534", root])
        }
    }

    /// Root with setpriv, and a checkout `nobody` can reach (a clone inside a 0700 folder cannot be run by it).
    static let canSwitchUser: Bool = {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return false }
        let probe = try? ChildProcess.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/sh", "-c",
                                                              "test -x \"$1\" && test -r \"$2\"", "probe", QweryProcess.executable,
                                                              QweryProcess.fixtures + "/tokenizer/qwen3-tokenizer.json"])
        return probe?.status == 0
    }()

    @Test("Given a new index path, when two qwery index runs start together, then both exit 0, in every trial")
    func creationRace() throws {
        let scratch = try Scratch()
        try scratch.write("notes/a.md", "alpha note\n")
        for trial in 0..<6 {
            let database = scratch.root + "/race-\(trial)/index.sqlite"
            let arguments = ["index", scratch.root + "/notes", "--db", database]
            let children = try (0..<2).map { side in
                try ChildProcess(QweryProcess.executable, arguments, output: scratch.root + "/out-\(trial)-\(side)",
                                 error: scratch.root + "/err-\(trial)-\(side)", environment: scratch.environment)
            }
            let statuses = children.map { $0.wait() }
            let errors = (0..<2).map { (try? String(contentsOfFile: scratch.root + "/err-\(trial)-\($0)", encoding: .utf8)) ?? "" }
            #expect(statuses == [0, 0], "trial \(trial): \(errors)")
        }
    }

    @Test("Given -C near Int.max or negative depths, when searching, then a usage error names the range (exit 2), never a crash")
    func numericBounds() throws {
        let scratch = try Scratch()
        try scratch.write("notes/a.md", "alpha note\n")
        let database = scratch.root + "/index.sqlite"
        #expect(try scratch.qwery(["index", scratch.root + "/notes", "--db", database]).status == 0)
        for (arguments, message) in [(["-C", "9223372036854775807"], "-C/--context must be from 0 to 1000"),
                                     (["--rerank-depth=-1"], "--rerank-depth must be from 0 to 200"),
                                     (["--per-file=-3"], "--per-file must be from 0 to 1000"),
                                     (["--limit", "9223372036854775807"], "--limit must be from 1 to 10000")] {
            let result = try scratch.qwery(["search", "alpha", "--db", database] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains(message), "\(arguments): \(result.standardError)")
        }
        let wide = try scratch.qwery(["search", "alpha", "--db", database, "-C", "1000"])
        #expect(wide.status == 0 && wide.standardOutput.contains("alpha note"))
    }

    @Test("Given a config file with a Latin-1 byte, when indexing, then qwery refuses it naming the file and the byte, and indexes nothing")
    func nonUTF8Config() throws {
        let scratch = try Scratch()
        try scratch.write("notes/a.md", "alpha note\n")
        let config = scratch.root + "/config.toml"
        try Data(Array("ignore = [\"*.md\"]\n# caf".utf8) + [0xE9] + [0x0A]).write(to: URL(fileURLWithPath: config))
        let result = try scratch.qwery(["index", scratch.root + "/notes", "--db", scratch.root + "/index.sqlite"],
                                       environment: ["QWERY_CONFIG": config])
        #expect(result.status != 0)
        #expect(result.standardError.contains("\(config):2: byte 23 (0xE9) is not UTF-8"), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: scratch.root + "/index.sqlite"))
    }

    @Test("Given an indexed folder made unreadable (as an ordinary user), when indexed again, then its files are kept and the exit status is 1",
          .enabled(if: canSwitchUser))
    func unreadableRoot() throws {
        let scratch = try Scratch()
        for name in ["a", "b", "c", "d"] { try scratch.write("notes/\(name).md", "note \(name) walnut\n") }
        let database = scratch.root + "/index.sqlite"
        try scratch.giveToNobody()
        #expect(try scratch.qweryAsNobody(["index", scratch.root + "/notes", "--db", database]).status == 0)
        chmod(scratch.root + "/notes", 0)
        let again = try scratch.qweryAsNobody(["index", scratch.root + "/notes", "--db", database])
        #expect(again.status == 1, "\(again.standardError)")
        #expect(again.standardError.contains("nothing under it was removed"), "\(again.standardError)")
        chmod(scratch.root + "/notes", 0o755)
        let status = try scratch.qweryAsNobody(["status", "--json", "--db", database])
        #expect(status.standardOutput.contains("\"files\":4"), "\(status.standardOutput)")
    }

    @Test("Given a file skipped as unreadable (as an ordinary user), when it is made readable and indexed again, then it is found without touching it",
          .enabled(if: canSwitchUser))
    func permissionSkipClears() throws {
        let scratch = try Scratch()
        try scratch.write("notes/secret.md", "the walnut password hint\n")
        try scratch.write("notes/open.md", "an open note\n")
        let database = scratch.root + "/index.sqlite"
        try scratch.giveToNobody()
        chmod(scratch.root + "/notes/secret.md", 0)
        #expect(try scratch.qweryAsNobody(["index", scratch.root + "/notes", "--db", database]).status == 0)
        chmod(scratch.root + "/notes/secret.md", 0o644)
        #expect(try scratch.qweryAsNobody(["index", scratch.root + "/notes", "--db", database]).status == 0)
        let found = try scratch.qweryAsNobody(["search", "walnut", "-l", "--db", database])
        #expect(found.status == 0 && found.standardOutput.contains("secret.md"), "\(found.standardOutput) \(found.standardError)")
    }

    @Test("Given an index in a folder made read-only (as an ordinary user), when searching, the status and indexing, then reads work and indexing names the folder",
          .enabled(if: canSwitchUser))
    func readOnlyFolder() throws {
        let scratch = try Scratch()
        try scratch.write("notes/a.md", "alpha walnut\n")
        let database = scratch.root + "/db/index.sqlite"
        try scratch.giveToNobody()
        #expect(try scratch.qweryAsNobody(["index", scratch.root + "/notes", "--db", database]).status == 0)
        chmod(scratch.root + "/db", 0o555)
        let search = try scratch.qweryAsNobody(["search", "walnut", "-l", "--db", database])
        #expect(search.status == 0 && search.standardOutput.contains("a.md"), "\(search.standardError)")
        let status = try scratch.qweryAsNobody(["status", "--db", database])
        #expect(status.status == 0, "\(status.standardError)")
        let index = try scratch.qweryAsNobody(["index", scratch.root + "/notes", "--db", database])
        #expect(index.status != 0)
        #expect(index.standardError.contains("its folder \(scratch.root)/db is not writable (mode r-xr-xr-x"), "\(index.standardError)")
        #expect(!index.standardError.contains("damaged"), "\(index.standardError)")
        chmod(scratch.root + "/db", 0o755)
        chmod(database, 0o444)
        let readOnlyFile = try scratch.qweryAsNobody(["index", scratch.root + "/notes", "--db", database])
        #expect(readOnlyFile.standardError.contains("the index file is read-only (mode r--r--r--"), "\(readOnlyFile.standardError)")
    }
}
