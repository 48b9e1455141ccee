import Corpus
import Foundation
import Syntax

/// Code chunked along its syntax tree: one chunk per function or method, from its doc comment, decorator or
/// attribute to its last line; a class, impl or module that fits is one chunk, a larger one is split into
/// its members (its own lines between them — the signature, fields — stay a chunk under its name); top-level
/// statements between definitions are grouped; small neighbours are merged until a chunk reaches the
/// minimum size; a single definition larger than a chunk is cut between the statements of its body (the
/// signature opens the first piece), pieces filled up to the target size, each named after it. Each chunk's
/// context — the line the embedding model sees above it — is its symbol path.
extension Chunker {
    struct SyntaxBlock {
        var lines: Range<Int>
        var symbol: String?
        /// Definitions inside it that are its own (a class that fits in one chunk holds its methods).
        var innerSymbols: [String] = []
        /// A run of statements of one oversized definition: pieces of it fill up to the target size together.
        var isPiece = false
    }

    func syntaxChunks(_ definitions: [SyntaxDefinition], lines: SourceLines) -> [Chunk] {
        let blocks = syntaxBlocks(definitions, range: 0..<lines.count, parent: nil, lines: lines)
        var chunks: [Chunk] = []
        var open: (lines: Range<Int>, tokens: Int, symbols: [String], isPiece: Bool)?
        func flush() {
            guard let current = open else { return }
            var chunk = makeChunk(current.lines, context: Self.context(current.symbols), lines: lines, tokens: current.tokens)
            chunk.symbol = current.symbols.isEmpty ? nil : current.symbols.joined(separator: ", ")
            chunks.append(chunk)
            open = nil
        }
        for block in blocks {
            let tokens = tokenCount(lines.text(block.lines))
            // Overloads (two `init`s) are one name in the list.
            var symbols: [String] = []
            for symbol in (block.symbol.map { [$0] } ?? []) + block.innerSymbols where !symbols.contains(symbol) { symbols.append(symbol) }
            if tokens > maximumTokens {
                flush()
                let starts = block.lines.count == 1 ? Self.definitionStarts(definitions) : []
                for var piece in cut(Block(lines: block.lines, context: block.symbol ?? ""), lines: lines) {
                    piece.symbol = block.symbol
                    // A line too long for one chunk (one-line JSON, minified code) is cut into pieces: each piece
                    // is named after the definitions that start in it, else the one it is inside.
                    if !starts.isEmpty, let named = Self.symbols(startingIn: piece.byteRange, starts: starts), !named.isEmpty {
                        piece = Chunk(startLine: piece.startLine, endLine: piece.endLine, byteRange: piece.byteRange,
                                      context: Self.context(named), text: piece.text, tokenCount: piece.tokenCount)
                        piece.symbol = named.joined(separator: ", ")
                    }
                    chunks.append(piece)
                }
                continue
            }
            // Small neighbours merge up to the minimum; pieces of one definition fill up to the target.
            let fills = block.isPiece && open?.isPiece == true && open?.symbols == symbols
            if let current = open, current.tokens < minimumTokens || fills,
               current.tokens + tokens <= (fills ? maximumTokens * 4 / 5 : maximumTokens) {
                let merged = current.symbols + symbols.filter { !current.symbols.contains($0) }
                open = (current.lines.lowerBound..<block.lines.upperBound, current.tokens + tokens, merged, current.isPiece && block.isPiece)
                continue
            }
            flush()
            open = (block.lines, tokens, symbols, block.isPiece)
        }
        flush()
        return chunks
    }

    /// Every definition nested in `definition`, depth first.
    static func memberSymbols(_ definition: SyntaxDefinition) -> [String] {
        definition.members.flatMap { [$0.symbol] + memberSymbols($0) }
    }

    /// Every definition with a byte offset, nested ones included, in text order.
    static func definitionStarts(_ definitions: [SyntaxDefinition]) -> [(byte: Int, symbol: String)] {
        func walk(_ definition: SyntaxDefinition) -> [(byte: Int, symbol: String)] {
            (definition.startByte.map { [($0, definition.symbol)] } ?? []) + definition.members.flatMap(walk)
        }
        return definitions.flatMap(walk).sorted { $0.byte < $1.byte }
    }

    /// The symbols of the definitions starting inside `bytes` (overloads once), or, when none does, the last one
    /// starting before it: the piece is inside that definition's value. Nil when nothing starts before its end.
    static func symbols(startingIn bytes: Range<Int>, starts: [(byte: Int, symbol: String)]) -> [String]? {
        var low = 0
        var high = starts.count
        while low < high {
            let middle = (low + high) / 2
            if starts[middle].byte < bytes.lowerBound { low = middle + 1 } else { high = middle }
        }
        var named: [String] = []
        var seen = Set<String>()
        var index = low
        while index < starts.count, starts[index].byte < bytes.upperBound {
            if seen.insert(starts[index].symbol).inserted { named.append(starts[index].symbol) }
            index += 1
        }
        if named.isEmpty, low > 0 { return [starts[low - 1].symbol] }
        return named.isEmpty ? nil : named
    }

    /// The context line of a chunk holding these symbols.
    static func context(_ symbols: [String]) -> String {
        symbols.count <= 3 ? symbols.joined(separator: ", ") : symbols.prefix(3).joined(separator: ", ") + ", …"
    }

    /// An oversized function cut between the statements of its body: the signature (and doc comment) with
    /// the first statement, then each statement up to the next; the closing line goes with the last.
    private func statementPieces(_ definition: SyntaxDefinition, range: Range<Int>) -> [SyntaxBlock] {
        let starts = definition.statements.map(\.lowerBound).filter { $0 > range.lowerBound && $0 < range.upperBound }
        var bounds = [range.lowerBound]
        for start in starts.dropFirst() where start > (bounds.last ?? 0) { bounds.append(start) }
        bounds.append(range.upperBound)
        return zip(bounds, bounds.dropFirst()).map { SyntaxBlock(lines: $0..<$1, symbol: definition.symbol, isPiece: true) }
    }

    /// Blocks for `definitions` inside `range`: each definition, and the non-blank runs between them.
    private func syntaxBlocks(_ definitions: [SyntaxDefinition], range: Range<Int>, parent: SyntaxDefinition?,
                              lines: SourceLines) -> [SyntaxBlock] {
        var blocks: [SyntaxBlock] = []
        var cursor = range.lowerBound
        func gap(upTo end: Int) {
            var start = cursor
            var stop = min(end, range.upperBound)
            while start < stop && lines.isBlank(start) { start += 1 }
            while stop > start && lines.isBlank(stop - 1) { stop -= 1 }
            // A gap of closing braces or `end` alone says nothing a search could find: no chunk of its own.
            guard start < stop, lines.text(start..<stop).contains(where: { $0.isLetter || $0.isNumber }),
                  lines.text(start..<stop).trimmingCharacters(in: .whitespacesAndNewlines) != "end" else { return }
            blocks.append(SyntaxBlock(lines: start..<stop, symbol: parent?.symbol))
        }
        for definition in definitions {
            let lower = max(definition.lines.lowerBound, cursor)
            let upper = min(definition.lines.upperBound, range.upperBound)
            guard lower < upper else {
                // On lines a block before it already holds (`{"name": "core", "modules": [...]}` on one line): that
                // block names it too, so `sym:` finds every key, not only each line's first.
                if !blocks.isEmpty { blocks[blocks.count - 1].innerSymbols += [definition.symbol] + Self.memberSymbols(definition) }
                continue
            }
            gap(upTo: lower)
            let tokens = tokenCount(lines.text(lower..<upper))
            if tokens > maximumTokens && !definition.members.isEmpty {
                blocks += syntaxBlocks(definition.members, range: lower..<upper, parent: definition, lines: lines)
            } else if tokens > maximumTokens && definition.statements.count > 1 {
                blocks += statementPieces(definition, range: lower..<upper)
            } else {
                // A class that fits holds its methods: `sym:top` finds `Counts::top` inside `impl Counts`.
                blocks.append(SyntaxBlock(lines: lower..<upper, symbol: definition.symbol, innerSymbols: Self.memberSymbols(definition)))
            }
            cursor = upper
        }
        gap(upTo: range.upperBound)
        return blocks
    }
}
