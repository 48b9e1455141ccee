import Foundation
import Testing
@testable import Indexing

/// Definitions found by keyword where no grammar parses the code: what each language's definition line names, what
/// is not a definition, and the symbols the indentation chunker's chunks then carry.
@Suite("Definitions by keyword")
struct KeywordDefinitionTests {
    static let defining: [(line: String, name: String)] = [
        ("def handle_call({:get, key}, _from, state) do", "handle_call"), ("  defp validate!(params) do", "validate!"),
        ("defmodule Phoenix.Router do", "Phoenix.Router"), ("main :: IO ()", "main"), ("data Tree a = Leaf | Node (Tree a) a (Tree a)", "Tree"),
        ("newtype Parser a = Parser { runParser :: String -> Maybe (a, String) }", "Parser"), ("pub fn init(allocator: Allocator) !Self {", "init"),
        ("pub const ArrayList = struct {", "ArrayList"), ("let rec fold_left f acc = function", "fold_left"),
        ("func (s *Server) Serve(l net.Listener) error {", "Serve"), ("type Handler interface {", "Handler"),
        ("(defn- parse-args [args]", "parse-args"), ("(defun org-agenda-list (&optional arg)", "org-agenda-list"), ("(define (fold f init xs)", "fold"),
        ("sub new_from_file {", "new_from_file"), ("parse_config <- function(path) {", "parse_config"),
        ("function Ledger:reconcile(amount)", "Ledger:reconcile"), ("local function helper(x)", "helper"),
        ("export default class Ledger extends Base {", "Ledger"), ("data class Point(val x: Int, val y: Int)", "Point"),
        ("  public static async function fetchAll(): Promise<void> {", "fetchAll"), ("def self.call(env)", "self.call"),
        ("impl<T> Trait for Foo<T> {", ""), ("class Foo::Bar < Base", "Foo::Bar"), ("enum class Colour { Red, Green }", "Colour"),
        ("protocol Drawable {", "Drawable"), ("typedef struct ledger ledger_t;", "ledger"), ("mixin Scrollable on Widget {", "Scrollable"),
        ("function getUserById(id) {", "getUserById"), ("struct Point<T> {", "Point"), ("cdef class CParser:", "CParser"),
        ("ctypedef struct yaml_parser_t:", "yaml_parser_t"), ("type alias Model =", "Model"),
    ]

    static let notDefining = [
        "    return function (x) { return x }", "# def commented_out():", "// function legacy()", " * class Documented", "x = 3",
        "    let total = 0", "  const step = 1", "export default class extends Base {", "instance Show Tree where", "local Ledger = {}",
        "function of the amount", "type = 'text'", "class=\"wide\"", "(let [x 1] x)", "", "   ",
    ]

    @Test("Given definition lines of many languages, when read, then each names what it defines")
    func definitionLines() {
        for (line, name) in Self.defining {
            let found = KeywordDefinitions.name(definedBy: Substring(line))
            #expect(found == (name.isEmpty ? nil : name), "\(line) → \(found ?? "nil")")
        }
    }

    @Test("Given lines that only look like definitions — locals, comments, prose, attributes — when read, then none names anything")
    func nonDefinitionLines() {
        for line in Self.notDefining {
            #expect(KeywordDefinitions.name(definedBy: Substring(line)) == nil, "\(line)")
        }
    }

    @Test("Given an Elixir file and no grammar, when chunked, then each chunk's symbols are the names its lines define, in order")
    func chunksCarryKeywordSymbols() {
        var units: [String] = ["defmodule Bank.Ledger do", "  @moduledoc \"Accounts for money.\""]
        for name in ["open", "reconcile", "close"] {
            units.append("")
            units.append("  def \(name)(ledger, amount) do")
            for step in 1...30 { units.append("    ledger = adjust(ledger, amount * \(step)) # step \(step) of \(name): the running balance") }
            units.append("  end")
        }
        units.append("end")
        let text = units.joined(separator: "\n") + "\n"
        var chunker = Chunker(tokenizer: ChunkerTests.tokenizer)
        chunker.grammars = nil
        let chunks = chunker.chunks(of: text, path: "lib/bank/ledger.ex")
        #expect(chunks.count >= 3)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for chunk in chunks {
            let defined = lines[(chunk.startLine - 1)..<chunk.endLine].compactMap { KeywordDefinitions.name(definedBy: $0) }
            // A piece inside a body names the definition it sits in: the nearest one above, indented less than the piece.
            let depth = lines[chunk.startLine - 1].prefix { $0 == " " }.count
            let enclosing = lines[..<(chunk.startLine - 1)].reversed().first { line in
                KeywordDefinitions.name(definedBy: line) != nil && line.prefix { $0 == " " }.count < depth
            }.flatMap { KeywordDefinitions.name(definedBy: $0) }
            let expected = defined.isEmpty ? enclosing.map { [$0] } ?? [] : defined
            #expect(chunk.symbol == (expected.isEmpty ? nil : expected.joined(separator: ", ")), "lines \(chunk.startLine)-\(chunk.endLine)")
        }
        #expect(chunks.first?.symbol?.hasPrefix("Bank.Ledger, open") == true, "\(chunks.first?.symbol ?? "nil")")
        #expect(chunks.contains { $0.symbol?.contains("reconcile") == true } && chunks.contains { $0.symbol?.contains("close") == true })
        // Prose keeps no symbols, whatever its words.
        #expect(chunker.chunks(of: "def of the matter\nclass notes for Monday\n", path: "notes.md").allSatisfy { $0.symbol == nil })
    }
}
