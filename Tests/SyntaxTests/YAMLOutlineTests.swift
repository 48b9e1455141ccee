import Testing
@testable import Syntax

/// YAML's keys as definitions, read with libyaml (no tree-sitter grammar for YAML builds from PyPI).
@Suite("YAML outline")
struct YAMLOutlineTests {
    static func flatten(_ definitions: [SyntaxDefinition]) -> [SyntaxDefinition] {
        definitions.flatMap { [$0] + flatten($0.members) }
    }

    @Test("Given a workflow, when outlined, then every key is a definition by path, with its lines; a sequence's items are where it may be cut")
    func workflow() throws {
        let yaml = """
            name: CI
            on:
              push:
                branches: [main]
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@v4
                  - name: Test
                    run: swift test
              lint:
                runs-on: ubuntu-latest

            """
        let definitions = Self.flatten(try #require(YAMLOutline.definitions(in: yaml)))
        #expect(definitions.map(\.symbol) == ["name", "on", "on.push", "on.push.branches", "jobs", "jobs.build", "jobs.build.runs-on",
                                               "jobs.build.steps", "jobs.lint", "jobs.lint.runs-on"])
        let byName = Dictionary(definitions.map { ($0.symbol, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byName["jobs"]?.lines == 4..<13 && byName["jobs"]?.isContainer == true)
        #expect(byName["jobs.build"]?.lines == 5..<11, "\(byName["jobs.build"]?.lines ?? 0..<0)")
        #expect(byName["jobs.build.steps"]?.statements == [8..<9, 9..<11], "\(byName["jobs.build.steps"]?.statements ?? [])")
        #expect(byName["name"]?.lines == 0..<1 && byName["name"]?.isContainer == false)
    }

    @Test("Given several documents, aliases and hostile input, when outlined, then documents follow each other, aliases stay unexpanded, and bad YAML is nil")
    func documentsAliasesAndErrors() throws {
        let manifests = "kind: Service\nmetadata:\n  name: web\n---\nkind: Deployment\nmetadata:\n  name: web\n"
        let symbols = Self.flatten(try #require(YAMLOutline.definitions(in: manifests))).map(\.symbol)
        #expect(symbols == ["kind", "metadata", "metadata.name", "kind", "metadata", "metadata.name"])
        // A billion-laughs document: nine levels of aliases, each nine times the last. Nothing is expanded.
        var bomb = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            bomb += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        #expect(try #require(YAMLOutline.definitions(in: bomb)).count == 10)
        #expect(YAMLOutline.definitions(in: "key: \"unclosed\nother: [1, 2\n") == nil)
        #expect(YAMLOutline.definitions(in: "a:\n\tb: tab-indented\n") == nil)
        #expect(YAMLOutline.definitions(in: "") == [])
        #expect(YAMLOutline.handles(path: "ci/deploy.YML") && !YAMLOutline.handles(path: "yaml.md"))
    }
}
