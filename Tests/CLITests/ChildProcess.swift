import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn` and reaped with `waitpid`.
///
/// Foundation's `Process.waitUntilExit()` can miss a child's exit on Linux when many tests spawn
/// processes at once (seen as a CI run hanging for 90 minutes), so the tests use the system calls.
/// Standard streams go to files, never pipes, so a daemon that inherits them (tmux's server)
/// cannot keep a reader waiting.
struct ChildProcess {
    enum Failure: Error, CustomStringConvertible {
        case spawn(String, Int32)
        var description: String {
            switch self {
            case .spawn(let path, let code): return "cannot start \(path): \(String(cString: strerror(code)))"
            }
        }
    }

    let pid: pid_t

    /// Starts `executable` with `arguments`; each stream is a file path (nil: /dev/null).
    /// `environment` entries are added to (or replace) this process's environment.
    init(_ executable: String, _ arguments: [String], input: String? = nil, output: String? = nil, error: String? = nil,
         environment: [String: String] = [:]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, error ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        // The test runner's threads block some signals; the child starts with none blocked.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptySet = sigset_t()
        sigemptyset(&emptySet)
        var defaultSet = sigset_t()
        sigemptyset(&defaultSet)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGCHLD] { sigaddset(&defaultSet, signal) }
        posix_spawnattr_setsigmask(&attributes, &emptySet)
        posix_spawnattr_setsigdefault(&attributes, &defaultSet)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { $1 }
        let envp = variables.map { strdup("\($0)=\($1)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw Failure.spawn(executable, code) }
        self.pid = pid
    }

    /// Waits for the child to end; its exit status, or 128 + the signal that ended it.
    @discardableResult
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Waits like `wait()`, and returns the peak resident memory (kB) of the child and every descendant it
    /// waited for (wait4's usage covers both: an indexer's extraction workers count).
    func waitWithPeakMemory() -> (status: Int32, peakKilobytes: Int) {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
        let signal = status & 0x7f
        return (signal == 0 ? (status >> 8) & 0xff : 128 + signal, usage.ru_maxrss)
    }

    func kill(_ signal: Int32) {
        _ = Glibc.kill(pid, signal)
    }

    /// Runs a command to the end and returns its status and output (both streams read from files).
    static func run(_ executable: String, _ arguments: [String], input: String = "", environment: [String: String] = [:]) throws
        -> (status: Int32, standardOutput: String, standardError: String)
    {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inputPath = scratch.appendingPathComponent("stdin").path
        let outputPath = scratch.appendingPathComponent("stdout").path
        let errorPath = scratch.appendingPathComponent("stderr").path
        try Data(input.utf8).write(to: URL(fileURLWithPath: inputPath))
        let child = try ChildProcess(executable, arguments, input: inputPath, output: outputPath, error: errorPath,
                                     environment: environment)
        let status = child.wait()
        let output = (try? Data(contentsOf: URL(fileURLWithPath: outputPath))) ?? Data()
        let error = (try? Data(contentsOf: URL(fileURLWithPath: errorPath))) ?? Data()
        return (status, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }
}
