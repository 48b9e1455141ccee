/// Definitions found by their keyword in code no grammar parses — a language qwery has no grammar for (Elixir,
/// Haskell, Zig, OCaml, Clojure, Dart, Julia, R, Perl…) or grammars not installed: `def name`, `class Name`,
/// `pub fn name`, `defmodule Phoenix.Router`, `func (s *Server) Serve`, `(defn name`, `name :: Type` and
/// `name <- function` at the top level. The names become the chunk's symbols, so a definition ranks above its uses
/// and `sym:` finds it in every language. One line at a time and no nesting: paths like `Ledger.reconcile` and the
/// members of a definition come from a grammar alone.
enum KeywordDefinitions {
    /// Every definition line of a file: (line index, its indentation, the name).
    static func definitions(in lines: SourceLines) -> [(line: Int, indentation: Int, name: String)] {
        (0..<lines.count).compactMap { index in
            lines.isBlank(index) ? nil : name(definedBy: lines.line(index)).map { (index, lines.indentation(index), $0) }
        }
    }

    /// The symbols of the chunk over `range`: the names its lines define, in order, each once; when it defines none
    /// (a piece cut from a long body), the definition it sits in — the nearest one above, indented less than its
    /// first line — as a grammar names the definition a piece belongs to.
    static func symbols(in range: Range<Int>, of definitions: [(line: Int, indentation: Int, name: String)], lines: SourceLines) -> [String] {
        var names: [String] = []
        for definition in definitions where range.contains(definition.line) && !names.contains(definition.name) { names.append(definition.name) }
        guard names.isEmpty, let first = range.first(where: { $0 < lines.count && !lines.isBlank($0) }) else { return names }
        let depth = lines.indentation(first)
        return definitions.last { $0.line < range.lowerBound && $0.indentation < depth }.map { [$0.name] } ?? []
    }

    /// The name a line defines, if it starts a definition.
    static func name(definedBy line: Substring) -> String? {
        let trimmed = line.trimmingPrefixWhitespace()
        let topLevel = trimmed.startIndex == line.startIndex
        if trimmed.hasPrefix("(") { return lispName(trimmed.dropFirst()) }
        let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let first = words.first else { return nil }
        if topLevel, words.count >= 2 {
            // Haskell's signature `name :: Type`, R's `name <- function(…)`.
            if words[1] == "::", let name = identifier(first), name == first { return accepted(name) }
            if words[1] == "<-" || words[1] == "=", words.count >= 3, words[2].hasPrefix("function"),
               let name = identifier(first), name == first {
                return accepted(name)
            }
        }
        var keyword: Substring?
        var position = 0
        while position < words.count, modifiers.contains(words[position]) || keywords.contains(words[position])
            || (topLevel && topLevelKeywords.contains(words[position])) {
            if !modifiers.contains(words[position]) { keyword = words[position] }
            position += 1
        }
        guard keyword != nil, position < words.count else { return nil }
        var rest = trimmed[words[position].startIndex...]
        // Go's method receiver: `func (s *Server) Serve(…)`.
        if rest.hasPrefix("("), let close = rest.firstIndex(of: ")") {
            rest = rest[rest.index(after: close)...].trimmingPrefixWhitespace()
        }
        return identifier(rest).flatMap(accepted)
    }

    /// `(defn name`, `(defun name`, `(define (name args)`, `(defmacro name`.
    private static func lispName(_ text: Substring) -> String? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count >= 2, lispKeywords.contains(words[0]) else { return nil }
        // Lisp names hold dashes and more (`parse-args`, `valid?`): the whole word, up to a bracket.
        let target = (words[1].hasPrefix("(") ? words[1].dropFirst() : words[1]).prefix { !"()[]{}\"'".contains($0) }
        guard let head = target.first, head.isLetter || head == "_" || head == "*" else { return nil }
        return accepted(String(target))
    }

    /// The identifier at the start of `text` (letters, digits, `_`, `$`, a trailing `!`, `?` or `'`), with its
    /// qualifiers (`Phoenix.Router`, `self.call`, `Foo::bar`, `Ledger:reconcile`); nil when it does not start with one.
    private static func identifier(_ text: Substring) -> String? {
        func isPart(_ character: Character) -> Bool { character.isLetter || character.isNumber || character == "_" || character == "$" }
        guard let head = text.first, head.isLetter || head == "_" || head == "$" else { return nil }
        var end = text.startIndex
        while end < text.endIndex {
            let character = text[end]
            if isPart(character) {
                end = text.index(after: end)
            } else if character == ".", text.index(after: end) < text.endIndex, isPart(text[text.index(after: end)]) {
                end = text.index(after: end)
            } else if text[end...].hasPrefix("::"), text.index(end, offsetBy: 2) < text.endIndex, isPart(text[text.index(end, offsetBy: 2)]) {
                end = text.index(end, offsetBy: 2)
            } else if character == ":", text.index(after: end) < text.endIndex, isPart(text[text.index(after: end)]) {
                end = text.index(after: end) // Lua's `Ledger:reconcile`
            } else {
                if "!?'".contains(character) { end = text.index(after: end) }
                break
            }
        }
        return String(text[text.startIndex..<end])
    }

    /// A name, unless it is a word of prose (a comment or string line that happens to start with `function of`) or
    /// of the definition itself (`export default class extends Base`).
    private static func accepted(_ name: String) -> String? {
        proseWords.contains(name) || keywords.contains(Substring(name)) ? nil : name
    }

    /// Words that start a definition of the name after them.
    static let keywords: Set<Substring> = [
        "def", "defp", "defmodule", "defmacro", "defmacrop", "defprotocol", "defguard", "defdelegate", "class", "module",
        "interface", "struct", "enum", "trait", "type", "typedef", "func", "function", "fn", "fun", "object", "protocol",
        "record", "namespace", "sub", "proc", "macro", "union", "data", "newtype", "mixin", "typealias", "actor",
    ]
    /// Bindings that are definitions only at the top level (`let name` in OCaml, `pub const Name = struct` in Zig).
    static let topLevelKeywords: Set<Substring> = ["let", "const", "val", "var"]
    /// Words that may come before the keyword.
    static let modifiers: Set<Substring> = [
        "export", "default", "pub", "pub(crate)", "pub(super)", "public", "private", "protected", "internal", "static",
        "async", "abstract", "final", "sealed", "open", "override", "inline", "extern", "unsafe", "local", "rec", "partial",
        "virtual", "native", "synchronized", "declare", "readonly", "mutable", "lazy", "infix", "operator", "suspend",
        "tailrec", "companion", "annotation", "case", "implicit", "comptime", "pure", "elemental", "recursive", "fileprivate",
        "nonisolated", "mut", "cdef", "cpdef", "ctypedef", "alias",
    ]
    /// Lisp forms that define the name after them.
    static let lispKeywords: Set<Substring> = [
        "defn", "defn-", "defun", "defmacro", "defmulti", "defprotocol", "defrecord", "deftype", "define", "defstruct",
        "defvar", "defparameter", "defconstant", "defgeneric", "defmethod", "defclass", "def", "define-syntax",
    ]
    static let proseWords: Set<String> = [
        "of", "the", "a", "an", "to", "is", "that", "this", "for", "and", "or", "in", "on", "with", "as", "it", "extends",
        "implements", "where", "do", "end", "from", "import",
    ]
}
