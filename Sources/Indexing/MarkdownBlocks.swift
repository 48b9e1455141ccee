/// Markdown and org: a block per paragraph, list or fenced code block; headings start blocks and set the
/// heading path ("Trip > Day 2") that every block below them carries as context.
enum MarkdownBlocks {
    /// What differs between the two: how a heading and a fenced block look.
    struct Dialect: Sendable {
        /// A heading line's level and title.
        let heading: @Sendable (Substring) -> (Int, String)?
        /// For a line opening a fenced block, a test for the line that closes it.
        let fence: @Sendable (Substring) -> ((Substring) -> Bool)?

        static let markdown = Dialect(heading: MarkdownBlocks.heading, fence: { line in
            guard line.hasPrefix("```") || line.hasPrefix("~~~") else { return nil }
            let marker = line.prefix(3)
            return { $0.hasPrefix(marker) }
        })

        /// Emacs org: `*`, `**`… headings (TODO keywords kept, `:tags:` dropped), `#+BEGIN_SRC`…`#+END_SRC`
        /// (and EXAMPLE, QUOTE, any `#+BEGIN_X`) as fenced blocks, case-insensitive.
        static let org = Dialect(heading: MarkdownBlocks.orgHeading, fence: { line in
            let lowered = line.lowercased()
            guard lowered.hasPrefix("#+begin_") else { return nil }
            let kind = lowered.dropFirst("#+begin_".count).prefix { !$0.isWhitespace }
            let closing = "#+end_" + kind
            return { $0.lowercased().hasPrefix(closing) }
        })
    }

    static func split(_ lines: SourceLines, dialect: Dialect = .markdown) -> [Block] {
        var blocks: [Block] = []
        var headings: [String] = []
        var current: Block?
        var closesFence: ((Substring) -> Bool)?
        func close() {
            if let block = current { blocks.append(block) }
            current = nil
        }
        func extend(through index: Int) {
            let lower = current?.lines.lowerBound ?? index
            current?.lines = lower..<(index + 1)
        }
        for index in 0..<lines.count {
            let line = lines.line(index)
            let trimmed = line.trimmingPrefixWhitespace()
            if let closes = closesFence {
                extend(through: index)
                if closes(trimmed) { closesFence = nil }
                continue
            }
            if let closes = dialect.fence(trimmed) {
                closesFence = closes
                if current == nil { current = Block(lines: index..<index + 1, context: headings.joined(separator: " > ")) }
                extend(through: index)
                continue
            }
            if let (level, title) = dialect.heading(line) {
                close()
                headings = Array(headings.prefix(level - 1))
                while headings.count < level - 1 { headings.append("") }
                let context = headings.filter { !$0.isEmpty }.joined(separator: " > ")
                headings.append(title)
                current = Block(lines: index..<index + 1, context: context, headingLevel: level, declaration: title)
                continue
            }
            if lines.isBlank(index) {
                // A heading keeps the paragraph right after it in its block.
                if let block = current, block.headingLevel != nil, block.lines.count == 1 { continue }
                close()
                continue
            }
            if current == nil {
                current = Block(lines: index..<index + 1, context: headings.filter { !$0.isEmpty }.joined(separator: " > "))
            }
            extend(through: index)
        }
        close()
        return blocks
    }

    /// `* Title`, `** TODO Title :work:` (org headings), as level and title without the tags.
    static func orgHeading(_ line: Substring) -> (Int, String)? {
        guard line.hasPrefix("*") else { return nil }
        let level = line.prefix { $0 == "*" }.count
        let rest = line.dropFirst(level)
        guard rest.first == " " || rest.first == "\t" else { return nil }
        var title = rest.trimmingPrefixWhitespace()
        while title.last == " " || title.last == "\t" { title = title.dropLast() }
        // Trailing tags: ":a:b:" after white space.
        if title.hasSuffix(":"), let space = title.lastIndex(where: { $0 == " " || $0 == "\t" }),
           title[title.index(after: space)...].hasPrefix(":") {
            title = title[..<space]
            while title.last == " " || title.last == "\t" { title = title.dropLast() }
        }
        return (level, String(title))
    }

    /// `# Title` … `###### Title` (ATX headings), as level and title.
    static func heading(_ line: Substring) -> (Int, String)? {
        guard line.hasPrefix("#") else { return nil }
        let level = line.prefix { $0 == "#" }.count
        guard level <= 6 else { return nil }
        let rest = line.dropFirst(level)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        var title = rest.trimmingPrefixWhitespace()
        while title.last == "#" || title.last == " " { title = title.dropLast() }
        return (level, String(title))
    }
}

/// Plain text: a block per paragraph (lines between blank lines).
enum ParagraphBlocks {
    /// The paragraphs of `range` (all lines by default), each with `context`.
    static func split(_ lines: SourceLines, range: Range<Int>? = nil, context: String = "") -> [Block] {
        let range = range ?? 0..<lines.count
        var blocks: [Block] = []
        var start: Int?
        for index in range {
            if lines.isBlank(index) {
                if let open = start { blocks.append(Block(lines: open..<index, context: context)) }
                start = nil
            } else if start == nil {
                start = index
            }
        }
        if let open = start { blocks.append(Block(lines: open..<range.upperBound, context: context)) }
        return blocks
    }
}

/// Source code: a block per top-level unit. A unit starts at a line with no indentation outside any
/// brace, after a blank line or after the previous unit closed; comments and decorators directly
/// above a declaration stay with it. Units keep their first line as context when they are cut.
enum CodeBlocks {
    static func split(_ lines: SourceLines) -> [Block] {
        let depths = braceDepths(lines)
        var blocks: [Block] = []
        var start: Int?
        var previous: Int?
        for index in 0..<lines.count where !lines.isBlank(index) {
            defer { previous = index }
            guard let open = start, let above = previous else {
                start = index
                continue
            }
            guard depths[index] == 0 && lines.indentation(index) == 0 else { continue }
            let separated = above < index - 1
            // The line above was inside a body (braces or indentation) that has now ended.
            let bodyEnded = !separated && (depths[above] > 0 || lines.indentation(above) > 0)
            if separated || bodyEnded {
                blocks.append(Block(lines: open..<above + 1, context: "", declaration: declaration(in: open..<above + 1, lines)))
                start = index
            }
        }
        if let open = start, let last = previous {
            blocks.append(Block(lines: open..<last + 1, context: "", declaration: declaration(in: open..<last + 1, lines)))
        }
        return blocks
    }

    /// The first line of a unit that is not a comment, attribute or decorator, trimmed.
    static func declaration(in range: Range<Int>, _ lines: SourceLines) -> String? {
        let markers = ["//", "#", "/*", "*", "@", "--", ";", "\"\"\"", "'''"]
        for index in range where !lines.isBlank(index) {
            let trimmed = lines.line(index).trimmingPrefixWhitespace()
            if markers.contains(where: { trimmed.hasPrefix($0) }) { continue }
            return String(trimmed.prefix(160))
        }
        return nil
    }

    /// Brace depth at the start of each line, skipping braces inside quotes and line comments.
    static func braceDepths(_ lines: SourceLines) -> [Int] {
        var depths: [Int] = []
        depths.reserveCapacity(lines.count + 1)
        var depth = 0
        for index in 0..<lines.count {
            depths.append(max(0, depth))
            var quote: Character?
            var previous: Character = " "
            for character in lines.line(index) {
                if let open = quote {
                    if character == open && previous != "\\" { quote = nil }
                } else if character == "\"" || character == "'" || character == "`" {
                    quote = character
                } else if character == "/" && previous == "/" {
                    break
                } else if character == "{" {
                    depth += 1
                } else if character == "}" {
                    depth -= 1
                }
                previous = character == "\\" && previous == "\\" ? " " : character
            }
            // Unbalanced quotes (apostrophes in comments, multi-line strings) do not carry to the next line.
        }
        depths.append(max(0, depth))
        return depths
    }
}
