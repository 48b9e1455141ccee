import CProcess
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts a worker process (qwery re-invoked as `extract-worker` or `syntax-worker`) the one way both workers need:
/// `standardInput` and `standardOutput` become its descriptors 0 and 1, its standard error goes to /dev/null, and no
/// other descriptor of this process (the index, its locks, other workers' channels) leaks into it. posix_spawn, not
/// Foundation's Process, for exactly that control; every `posix_spawn` of qwery is here.
public enum WorkerSpawn {
    /// The new process's id, or why it could not start (strerror's words).
    public static func start(_ command: [String], standardInput: Int32, standardOutput: Int32) -> Result<pid_t, SpawnFailure> {
        guard let executable = command.first else { return .failure(SpawnFailure(reason: "no command")) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, standardInput, 0)
        posix_spawn_file_actions_adddup2(&actions, standardOutput, 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        qwery_spawn_close_from(&actions, 3)
        let argv = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { return .failure(SpawnFailure(reason: "\(executable): \(String(cString: strerror(spawned)))")) }
        return .success(pid)
    }

    public struct SpawnFailure: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }
}
