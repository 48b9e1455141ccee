import Foundation
import Engine
import Indexing
import Search
import Store
import TestSupport

/// Where the shared index lives, for the exit handler that removes it.
nonisolated(unsafe) private var temporaryDatabase: String?

/// sample-corpus/ indexed once with the tiny fixture embedding model, shared by the search tests.
enum SampleCorpusIndex {
    static let repository = Repository.root

    static let embeddingFolder = repository + "/Tests/Fixtures/models/tiny-embedding"
    static let rerankerFolder = repository + "/Tests/Fixtures/models/tiny-causal"
    static let corpus = URL(fileURLWithPath: repository + "/sample-corpus").resolvingSymlinksInPath().path

    static let embedder: Embedder = {
        do { return try Embedder(folder: embeddingFolder) } catch { fatalError("\(error)") }
    }()

    /// A search service over a fresh index of the sample corpus.
    static let service: SearchService = {
        do {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-search-\(UUID().uuidString).sqlite").path
            temporaryDatabase = path
            // Removed when the test process ends (the service lives as long as the process).
            atexit {
                guard let path = temporaryDatabase else { return }
                for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
            }
            let database = try AppDatabase(path: path)
            let indexer = try Indexer(database: database, tokenizer: embedder.tokenizer, embedder: embedder, modelFolder: embeddingFolder)
            try indexer.run(roots: [corpus])
            return try SearchService(database: database, embedder: embedder, modelFolder: embeddingFolder)
        } catch {
            fatalError("\(error)")
        }
    }()

    static func relative(_ path: String) -> String {
        String(path.dropFirst(corpus.count + 1))
    }
}
