import Corpus
import Foundation
import Syntax

/// Code chunked along its syntax tree: one chunk per function or method, from its doc comment, decorator or
/// attribute to its last line; a class, impl or module that fits is one chunk, a larger one is split into
/// its members (its own lines between them — the signature, fields — stay a chunk under its name); top-level
/// statements between definitions are grouped; small neighbours are merged until a chunk reaches the
/// minimum size; a single definition larger than a chunk is cut at blank lines inside it. Each chunk's
/// context — the line the embedding model sees above it — is its symbol path.
extension Chunker {
    struct SyntaxBlock {
        var lines: Range<Int>
        var symbol: String?
    }

    func syntaxChunks(_ definitions: [SyntaxDefinition], lines: SourceLines) -> [Chunk] {
        let blocks = syntaxBlocks(definitions, range: 0..<lines.count, parent: nil, lines: lines)
        var chunks: [Chunk] = []
        var open: (lines: Range<Int>, tokens: Int, symbols: [String])?
        func flush() {
            guard let current = open else { return }
            var chunk = makeChunk(current.lines, context: Self.context(current.symbols), lines: lines, tokens: current.tokens)
            chunk.symbol = current.symbols.isEmpty ? nil : current.symbols.joined(separator: ", ")
            chunks.append(chunk)
            open = nil
        }
        for block in blocks {
            let tokens = tokenCount(lines.text(block.lines))
            let symbols = block.symbol.map { [$0] } ?? []
            if tokens > maximumTokens {
                flush()
                for var piece in cut(Block(lines: block.lines, context: block.symbol ?? ""), lines: lines) {
                    piece.symbol = block.symbol
                    chunks.append(piece)
                }
                continue
            }
            if let current = open, current.tokens < minimumTokens, current.tokens + tokens <= maximumTokens {
                open = (current.lines.lowerBound..<block.lines.upperBound, current.tokens + tokens, current.symbols + symbols)
                continue
            }
            flush()
            open = (block.lines, tokens, symbols)
        }
        flush()
        return chunks
    }

    /// The context line of a chunk holding these symbols.
    static func context(_ symbols: [String]) -> String {
        symbols.count <= 3 ? symbols.joined(separator: ", ") : symbols.prefix(3).joined(separator: ", ") + ", …"
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
            guard lower < upper else { continue }
            gap(upTo: lower)
            let tokens = tokenCount(lines.text(lower..<upper))
            if tokens > maximumTokens && !definition.members.isEmpty {
                blocks += syntaxBlocks(definition.members, range: lower..<upper, parent: definition, lines: lines)
            } else {
                blocks.append(SyntaxBlock(lines: lower..<upper, symbol: definition.symbol))
            }
            cursor = upper
        }
        gap(upTo: range.upperBound)
        return blocks
    }
}
