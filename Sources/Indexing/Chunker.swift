import Corpus
import Syntax
import Tokenizers

/// A piece of a file to embed and search: exact line and byte range, the heading path or
/// enclosing declaration it sits in, and its size in tokens.
package struct Chunk: Sendable, Equatable {
    /// 1-based, inclusive.
    package let startLine: Int
    package let endLine: Int
    package let byteRange: Range<Int>
    package let context: String
    package let text: String
    package let tokenCount: Int
    /// A document chunk's page or cell.
    package var locator: Locator?
    /// Code: the definitions the chunk holds (`Ledger.reconcile`; several, comma-separated, when small neighbours
    /// were merged) — from a grammar, else found by keyword (`KeywordDefinitions`).
    package var symbol: String?

    /// What the embedding model sees: the context line, then the text.
    package var embeddingText: String {
        ChunkText.embeddingText(context: context, text: text)
    }
}

/// Splits files into chunks of about 200–500 tokens (counted with the model's tokenizer):
/// Markdown on headings then paragraphs, code at top-level declarations (indentation and braces),
/// anything else on paragraphs. A block too large for one chunk is cut on line boundaries with a
/// small overlap, and every piece keeps its heading path or declaration as context.
package struct Chunker: Sendable {
    /// The model's tokenizer; nil without any (no model, no tokenizer file): sizes are then estimated.
    package let tokenizer: Tokenizer?
    package var minimumTokens = 200
    package var maximumTokens = 500
    /// Lines repeated at the start of the next piece when a block must be cut.
    package var overlapLines = 2
    /// Where tree-sitter grammars are found; nil: code is cut at indentation and braces only.
    package var grammars: GrammarLibrary? = GrammarLibrary.shared
    /// Parses in `qwery syntax-worker` rather than in this process (the indexer's setting; nil: in-process). With
    /// it, grammars are loaded only in the worker: whether one is usable is asked there too, once per language.
    package var syntaxWorker: SyntaxWorkerClient? {
        didSet { grammarReports = syntaxWorker.map { GrammarReports(worker: $0) } }
    }
    private var grammarReports: GrammarReports?

    package init(tokenizer: Tokenizer?) {
        self.tokenizer = tokenizer
    }

    /// The chunks of one file.
    package func chunks(of text: String, path: String) -> [Chunk] {
        let lines = SourceLines(text)
        guard !text.isEmpty else { return [] }
        let blocks: [Block]
        let kind = FileKind(path: path)
        // Data files with a grammar (JSON, TOML) are chunked along their keys like code.
        if kind == .text, let definitions = outline(text, path: path) {
            return syntaxChunks(definitions, lines: lines)
        }
        switch kind {
        case .markdown: blocks = MarkdownBlocks.split(lines)
        case .org: blocks = MarkdownBlocks.split(lines, dialect: .org)
        case .code:
            if let definitions = outline(text, path: path) {
                return syntaxChunks(definitions, lines: lines)
            }
            // No grammar: indentation and braces cut the file, and each chunk's definitions are found by keyword.
            let definitions = KeywordDefinitions.definitions(in: lines)
            return merge(CodeBlocks.split(lines), lines: lines).map { chunk in
                var named = chunk
                let symbols = KeywordDefinitions.symbols(in: chunk.startLine - 1..<chunk.endLine, of: definitions, lines: lines)
                named.symbol = symbols.isEmpty ? nil : symbols.joined(separator: ", ")
                return named
            }
        case .text: blocks = ParagraphBlocks.split(lines)
        }
        return merge(blocks, lines: lines)
    }

    /// The version of the chunking rules: raised whenever a release cuts the same file differently (version 2:
    /// definitions found by keyword where no grammar parses the code; 3: Cython, Fortran, F#, Clojure and twenty-odd
    /// other languages cut as code, no longer as paragraphs; 4: whether a file's first lines say a tool wrote it, kept
    /// with it for ranking; 5: C and C++ macros with a value or parameters are definitions).
    static let rulesVersion = 5
    private static let rules = "rules \(rulesVersion)"

    /// How this chunker cuts `path` — its rules' version and, for a language with a grammar, what is installed of it
    /// — recorded with each file, so one whose chunking changed since it was indexed (a grammar installed or rebuilt,
    /// a release with new rules) is chunked again though it did not change.
    package func method(forPath path: String) -> String {
        guard let spec = GrammarCatalog.spec(forPath: path) else { return Self.rules }
        return Self.rules + "; " + spec.name + " " + (grammars?.installedIdentity(spec) ?? "not installed")
    }

    /// The file's definitions from its grammar (nil: none installed, or no parse — indentation chunks instead).
    private func outline(_ text: String, path: String) -> [SyntaxDefinition]? {
        // YAML's keys come from libyaml, everything else from a tree-sitter grammar.
        guard let grammars else { return nil }
        if let syntaxWorker {
            guard YAMLOutline.handles(path: path) || grammarReports?.isUsable(forPath: path) == true else { return nil }
            return syntaxWorker.outline(text, path: path)
        }
        guard YAMLOutline.handles(path: path) || grammars.grammar(forPath: path) != nil else { return nil }
        if YAMLOutline.handles(path: path) { return YAMLOutline.definitions(in: text) }
        return grammars.grammar(forPath: path).flatMap { SyntaxOutline.definitions(in: text, grammar: $0) }
    }

    func tokenCount(_ text: String) -> Int {
        tokenizer?.encode(text).count ?? Self.estimatedTokenCount(text)
    }

    /// Qwen's BPE without its vocabulary: about four ASCII characters a token, and one token per other
    /// character (CJK, emoji, accents). Chunks cut by this estimate are embedded as they are when a model
    /// arrives; the embedder counts exactly.
    static func estimatedTokenCount(_ text: String) -> Int {
        var ascii = 0
        var other = 0
        for scalar in text.unicodeScalars {
            if scalar.isASCII { ascii += 1 } else { other += 1 }
        }
        return (ascii + 3) / 4 + other
    }

    // MARK: - Merging blocks into chunks

    func merge(_ blocks: [Block], lines: SourceLines) -> [Chunk] {
        var chunks: [Chunk] = []
        // The open chunk; `hasBody` once it holds more than heading lines. Its context is that of its first
        // block with body text: `* Travel` / `** Kyoto` / a paragraph carries "Travel", the headings above
        // the text's own heading (which is in the text).
        var current: (block: Block, tokens: Int, hasBody: Bool)?
        func flush() {
            if let open = current {
                chunks.append(makeChunk(open.block.lines, context: open.block.context, lines: lines, tokens: open.tokens))
            }
            current = nil
        }
        func hasBody(_ block: Block) -> Bool { block.headingLevel == nil || block.lines.count > 1 }
        for block in blocks {
            let tokens = tokenCount(lines.text(block.lines))
            if tokens > maximumTokens {
                // A small chunk before an oversized block (a heading, a short intro) goes into its first piece.
                var oversized = block
                if let open = current, open.tokens < minimumTokens {
                    oversized = Block(lines: open.block.lines.lowerBound..<block.lines.upperBound,
                                      context: open.hasBody ? open.block.context : block.context,
                                      headingLevel: open.block.headingLevel, declaration: open.block.declaration ?? block.declaration)
                    current = nil
                }
                flush()
                chunks += cut(oversized, lines: lines)
                continue
            }
            if let open = current {
                // A level-1/2 heading starts a chunk once the open one has text of its own (a short section is
                // never swallowed by the one before it); a deeper heading once the open chunk is large enough.
                let headingBreak = block.headingLevel.map { $0 <= 2 ? open.hasBody : open.tokens >= minimumTokens } ?? false
                if headingBreak || open.tokens + tokens > maximumTokens {
                    flush()
                } else {
                    var merged = open.block
                    merged.lines = open.block.lines.lowerBound..<block.lines.upperBound
                    if !open.hasBody { merged.context = block.context }
                    current = (merged, open.tokens + tokens, open.hasBody || hasBody(block))
                    continue
                }
            }
            current = (block, tokens, hasBody(block))
        }
        flush()
        return chunks
    }

    /// Cuts an oversized block into pieces of at most about 80% of the maximum, preferring to end a
    /// piece at a blank line (between paragraphs or members); a piece cut elsewhere is followed by
    /// `overlapLines` of overlap. Pieces after the first carry the block's declaration as context.
    func cut(_ block: Block, lines: SourceLines) -> [Chunk] {
        var pieces: [Chunk] = []
        let target = maximumTokens * 4 / 5
        let lineTokens = block.lines.map { tokenCount(lines.text($0..<$0 + 1)) }
        func tokens(_ index: Int) -> Int { lineTokens[index - block.lines.lowerBound] }
        var start = block.lines.lowerBound
        while start < block.lines.upperBound {
            var end = start
            var total = 0
            var lastBlankEnd: (line: Int, tokens: Int)?
            while end < block.lines.upperBound {
                if end > start && total + tokens(end) > target { break }
                total += tokens(end)
                end += 1
                if end < block.lines.upperBound && lines.isBlank(end - 1) && total >= target / 2 {
                    lastBlankEnd = (end, total)
                }
            }
            var overlap = 0
            if end < block.lines.upperBound {
                if let blank = lastBlankEnd {
                    end = blank.line
                    total = blank.tokens
                } else {
                    overlap = overlapLines
                }
            }
            let context = start == block.lines.lowerBound ? block.context : Self.join(block.context, block.declaration ?? "")
            if total > maximumTokens {
                pieces += cutLongLine(start, context: context, lines: lines)
            } else {
                pieces.append(makeChunk(start..<end, context: context, lines: lines, tokens: total))
            }
            if end >= block.lines.upperBound { break }
            start = max(start + 1, end - overlap)
        }
        return pieces
    }

    /// A single line longer than a chunk (a paragraph written without hard wraps, minified code, a huge
    /// table row): cut at white space, so every word stands whole in at least one piece, with the last few
    /// words repeated at the start of the next piece (like `overlapLines` for block cuts). A run without
    /// white space longer than a piece (minified code, a base64 blob) is cut between grapheme clusters —
    /// never inside a character or a combining sequence.
    private func cutLongLine(_ index: Int, context: String, lines: SourceLines) -> [Chunk] {
        let line = lines.text(index..<index + 1)
        let target = maximumTokens * 4 / 5
        let words = LongLineWords.split(line, maximumTokens: target, tokenCount: tokenCount)
        var pieces: [Chunk] = []
        let lineStart = lines.byteRange(index..<index + 1).lowerBound
        var start = 0
        while start < words.count {
            var end = start
            var total = 0
            while end < words.count && (end == start || total + words[end].tokens <= target) {
                total += words[end].tokens
                end += 1
            }
            let byteRange = words[start].bytes.lowerBound..<words[end - 1].bytes.upperBound
            let text = String(decoding: lines.utf8[(lineStart + byteRange.lowerBound)..<(lineStart + byteRange.upperBound)],
                              as: UTF8.self)
            pieces.append(Chunk(startLine: index + 1, endLine: index + 1,
                                byteRange: (lineStart + byteRange.lowerBound)..<(lineStart + byteRange.upperBound),
                                context: context, text: text, tokenCount: tokenCount(text)))
            if end >= words.count { break }
            // Overlap: the last words of this piece (up to an eighth of it) open the next one.
            var overlapStart = end
            var overlapTokens = 0
            while overlapStart - 1 > start && overlapTokens + words[overlapStart - 1].tokens <= target / 8 {
                overlapStart -= 1
                overlapTokens += words[overlapStart].tokens
            }
            start = overlapStart
        }
        return pieces
    }

    func makeChunk(_ range: Range<Int>, context: String, lines: SourceLines, tokens: Int) -> Chunk {
        Chunk(startLine: range.lowerBound + 1, endLine: range.upperBound, byteRange: lines.byteRange(range),
              context: context, text: lines.text(range), tokenCount: tokens)
    }

    static func join(_ outer: String, _ inner: String) -> String {
        if outer.isEmpty { return inner }
        if inner.isEmpty || outer.hasSuffix(inner) { return outer }
        return outer + " > " + inner
    }
}

/// A run of lines that belongs together (a paragraph, a section's text, a declaration).
struct Block: Equatable {
    var lines: Range<Int>
    var context: String
    /// Set when the block starts with a Markdown heading.
    var headingLevel: Int?
    /// For code: the unit's declaration line (after its comments and attributes), the context of its later pieces.
    var declaration: String?
}

extension Substring {
    func trimmingPrefixWhitespace() -> Substring {
        drop { $0 == " " || $0 == "\t" }
    }
}
