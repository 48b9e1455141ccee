import Foundation

/// Where the background indexing is, as the status bar shows it: a typed value the reducer sets from
/// index events and compares, so no code reads state back out of the status text.
package enum IndexingProgress: Sendable, Equatable {
    case loadingModels
    case starting
    /// `--no-watch`: the index is searched as it is.
    case notWatching
    /// The models failed to load: the index stays as it is and search is lexical.
    case lexicalOnly
    case scanning(folder: String)
    case indexingFiles(done: Int, total: Int)
    case embedding(done: Int, total: Int, tokensPerSecond: Double)
    case indexed
    /// Another process holds the index's writer lock; this screen follows its commits.
    case followingWriter(pid: Int32?)
    /// A running `qwery watch` answers this screen's searches and keeps the folders indexed.
    case served(pid: Int32)

    package var isEmbedding: Bool {
        if case .embedding = self { return true }
        return false
    }

    /// The status bar's words.
    package var text: String {
        switch self {
        case .loadingModels: return "loading models…"
        case .starting: return "starting"
        case .notWatching: return "not watching (--no-watch)"
        case .lexicalOnly: return "index"
        case .scanning(let folder): return "scanning \(folder.split(separator: "/").last.map(String.init) ?? folder)"
        case .indexingFiles(let done, let total): return "indexing \(done)/\(total) files"
        case .embedding(let done, let total, let rate):
            return rate > 0 ? String(format: "embedding %d/%d · %.0f tok/s", done, total, rate) : "embedding \(done)/\(total)"
        case .indexed: return "indexed"
        case .followingWriter(let pid): return "indexed by qwery" + (pid.map { " (pid \($0))" } ?? " (another process)")
        case .served(let pid): return "served by qwery watch (pid \(pid))"
        }
    }
}
