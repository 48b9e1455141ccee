import CProcess
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Every process qwery starts, started one way: the extraction and syntax workers (qwery re-invoked), the grammar
/// builds (`tar`, `cc`), the editor and the document viewer. posix_spawn, not Foundation's Process, for control
/// of the descriptors — each child gets exactly its 0, 1 and 2, and no other descriptor of this process (the
/// index, its locks, the workers' channels) leaks into it — and because Process can miss a child's exit on Linux.
/// Every `posix_spawn` of qwery is here; `wait` reaps, `kill` ends a child that overran its deadline.
package enum ChildProcess {
    /// What one of the child's standard descriptors is.
    package enum Stream: Sendable {
        /// This process's own (the terminal, for an editor).
        case inherited
        case null
        /// A descriptor of this process, duplicated.
        case descriptor(Int32)
        /// A file, created or truncated, mode 0600.
        case file(String)
        /// Standard error only: wherever standard output goes.
        case output
    }

    /// Starts `command` (its first element a path, or with `searchPath` a name looked up on PATH); the child's id,
    /// or why it could not start (strerror's words).
    package static func start(_ command: [String], searchPath: Bool = false, input: Stream = .null, output: Stream = .null,
                             error: Stream = .null) -> Result<pid_t, SpawnFailure> {
        guard let executable = command.first else { return .failure(SpawnFailure(reason: "no command")) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (stream, target) in [(input, Int32(0)), (output, 1), (error, 2)] {
            switch stream {
            case .inherited: break
            case .null: posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            case .descriptor(let descriptor): posix_spawn_file_actions_adddup2(&actions, descriptor, target)
            case .file(let path): posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            case .output: posix_spawn_file_actions_adddup2(&actions, 1, target)
            }
        }
        qwery_spawn_close_from(&actions, 3)
        let argv = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = searchPath ? posix_spawnp(&pid, executable, &actions, nil, argv, environ)
            : posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { return .failure(SpawnFailure(reason: "\(executable): \(String(cString: strerror(spawned)))")) }
        return .success(pid)
    }

    /// Waits for the child to end (EINTR retried); its wait status (`status >> 8` is the exit code of a normal exit).
    @discardableResult
    package static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status
    }

    /// Ends a child at once (SIGKILL) and reaps it.
    package static func kill(_ pid: pid_t) {
        Glibc.kill(pid, SIGKILL)
        wait(pid)
    }

    /// Starts `command` and waits for it: its wait status.
    package static func run(_ command: [String], searchPath: Bool = true, input: Stream = .null, output: Stream = .null,
                           error: Stream = .null) -> Result<Int32, SpawnFailure> {
        start(command, searchPath: searchPath, input: input, output: output, error: error).map { wait($0) }
    }

    package struct SpawnFailure: Error, CustomStringConvertible {
        package let reason: String
        package var description: String { reason }
    }
}
