/// The text the embedding model sees for a chunk: its context line (heading path or enclosing
/// declaration), then its text. Indexing embeds it; search hashes and reranks the same string.
package enum ChunkText {
    package static func embeddingText(context: String, text: String) -> String {
        context.isEmpty ? text : context + "\n" + text
    }
}
