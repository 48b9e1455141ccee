import Foundation
import Testing

/// The real binary in a real terminal (tmux) on a copy of sample-corpus with the tiny fixture models.
@Suite("TUI in a terminal", .serialized, .enabled(if: Tmux.isAvailable))
struct TUITests {
    /// A fresh copy of sample-corpus and an empty index, removed afterwards.
    final class Workspace {
        let folder: String
        let database: String

        init() throws {
            let base = FileManager.default.temporaryDirectory.appendingPathComponent("qwery-tui-\(UUID().uuidString)")
            folder = base.appendingPathComponent("corpus").path
            database = base.appendingPathComponent("index.sqlite").path
            let corpus = URL(fileURLWithPath: QweryProcess.fixtures).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("sample-corpus").path
            try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: corpus, toPath: folder)
        }

        deinit {
            try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent)
        }

        var command: String { command(environment: "") }

        /// The command line, with `environment` (`NAME=value …`) set for qwery.
        func command(environment: String) -> String {
            let models = QweryProcess.fixtures + "/models"
            return "TERM=xterm-256color \(environment) \(QweryProcess.executable) \(folder) --db \(database) --model \(models)/tiny-embedding "
                + "--reranker \(models)/tiny-causal; echo QWERY-EXITED-$?; sleep 30"
        }
    }

    @Test("Given a typed query, when results arrive and the reranker runs, then results, markers and the status bar show")
    func typingShowsResultsAndRerank() throws {
        let workspace = try Workspace()
        let terminal = try Tmux(command: workspace.command, columns: 120, rows: 32)
        try terminal.waitFor { $0.contains("indexed") && $0.contains("watching 1 folder") }
        try terminal.type("sourdough")
        let screen = try terminal.waitFor { $0.contains("reranked 10") }
        #expect(screen.contains("❯ sourdough"))
        #expect(screen.contains("notes/recipes/sourdough.md"))
        #expect(screen.contains("▲") || screen.contains("▼"))
        #expect(screen.contains("lines "), "the preview shows the chunk's line range")
        #expect(screen.contains("tiny-embedding") && screen.contains("preset: notes") && screen.contains("16d"))
    }

    @Test("Given the live tweaks, when used, then the status bar follows dimension, preset, instruction and rerank changes")
    func liveTweaks() throws {
        let workspace = try Workspace()
        let terminal = try Tmux(command: workspace.command, columns: 120, rows: 32)
        try terminal.waitFor { $0.contains("indexed") }
        try terminal.type("bread")
        try terminal.waitFor { $0.contains("reranked") }
        try terminal.send("F3")
        #expect(try terminal.waitFor { $0.contains("8d") }.contains("8d"))
        try terminal.send("F5")
        #expect(try terminal.waitFor { $0.contains("preset: code") }.contains("preset: code"))
        try terminal.send("F4")
        #expect(try terminal.waitFor { $0.contains("rerank off") }.contains("rerank off"))
        try terminal.send("F2")
        try terminal.waitFor { $0.contains("custom:") }
        try terminal.type("Find baking tips")
        try terminal.send("Enter")
        #expect(try terminal.waitFor { $0.contains("preset: custom") }.contains("preset: custom"))
    }

    @Test("Given a resize and a narrow terminal, when redrawn, then the layout switches between side-by-side and stacked")
    func resizeKeepsLayout() throws {
        let workspace = try Workspace()
        let terminal = try Tmux(command: workspace.command, columns: 130, rows: 30)
        try terminal.waitFor { $0.contains("indexed") }
        try terminal.type("chickpea")
        let wide = try terminal.waitFor { $0.contains("┬") && $0.contains("chickpea-curry.md") }
        #expect(wide.contains("┬"), "side by side: the list and preview meet at ┬")
        try terminal.resize(columns: 80, rows: 30)
        let narrow = try terminal.waitFor { !$0.contains("┬") && $0.contains("chickpea-curry.md") }
        #expect(!narrow.contains("┬"))
        #expect(narrow.split(separator: "\n").last?.contains("? help") == true, "the status bar stays on the last row")
    }

    @Test("Given Ctrl-C, when qwery quits, then the shell gets a normal terminal back")
    func controlCRestoresTerminal() throws {
        let workspace = try Workspace()
        let terminal = try Tmux(command: workspace.command, columns: 100, rows: 25)
        try terminal.waitFor { $0.contains("indexed") }
        try terminal.send("C-c")
        let screen = try terminal.waitFor { $0.contains("QWERY-EXITED-0") }
        #expect(screen.contains("QWERY-EXITED-0"))
        #expect(!screen.contains("? help"), "the search screen is gone (alternate screen left)")
    }

    @Test("Given a note written while qwery runs, when searched, then it shows up within seconds")
    func newFileShowsUp() throws {
        let workspace = try Workspace()
        let terminal = try Tmux(command: workspace.command, columns: 120, rows: 30)
        try terminal.waitFor { $0.contains("indexed") }
        try terminal.type("zanzibar")
        try terminal.waitFor { $0.contains("0 results") || $0.contains("No results") }
        try "# Zanzibar\n\nSpice tour in Stone Town, then the beach at Nungwi.\n"
            .write(toFile: workspace.folder + "/notes/travel/zanzibar.md", atomically: true, encoding: .utf8)
        let screen = try terminal.waitFor(seconds: 5) { $0.contains("notes/travel/zanzibar.md") }
        #expect(screen.contains("notes/travel/zanzibar.md"))
    }

    @Test("Given a selected result, when Enter is pressed, then $EDITOR opens the file at the line the list shows and the screen comes back")
    func enterOpensEditor() throws {
        let workspace = try Workspace()
        let base = (workspace.folder as NSString).deletingLastPathComponent
        let editor = base + "/fake-editor.sh"
        try "#!/bin/sh\nprintf '%s\\n' \"$@\" > \(base)/editor-arguments\n".write(toFile: editor, atomically: true, encoding: .utf8)
        chmod(editor, 0o755)
        let terminal = try Tmux(command: workspace.command(environment: "VISUAL= EDITOR=\(editor)"), columns: 120, rows: 30)
        try terminal.waitFor { $0.contains("indexed") }
        try terminal.type("chickpea")
        // Once the rerank pass is done the order is final; before it, the selected row can change under the test.
        let screen = try terminal.waitFor { $0.contains("chickpea-curry.md") && $0.contains("reranked") }
        let selected = try #require(screen.split(separator: "\n").first { $0.hasPrefix("▌") && $0.contains(".md:") })
        try terminal.send("Enter")
        let argumentsFile = base + "/editor-arguments"
        let deadline = Date().addingTimeInterval(5)
        while !FileManager.default.fileExists(atPath: argumentsFile), Date() < deadline { usleep(50_000) }
        let arguments = try String(contentsOfFile: argumentsFile, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(arguments.count == 2)
        #expect(arguments.first?.hasPrefix("+") == true)
        #expect(arguments.last?.hasPrefix(workspace.folder + "/") == true)
        // The list shows "path:line"; the editor got the same file and line.
        if let path = arguments.last, let line = arguments.first?.dropFirst() {
            let relative = String(path.dropFirst(workspace.folder.count + 1))
            #expect(selected.contains("\(relative):\(line)"), "\(selected)")
        }
        let back = try terminal.waitFor { $0.contains("? help") && $0.contains("chickpea") }
        #expect(back.contains("❯ chickpea"))
    }
}

extension TUITests {
    @Test("Given Rust in the folder and its grammar, when a method is searched with sym:, then the list leads with its symbol and the preview is coloured")
    func symbolsAndHighlightedPreview() throws {
        try #require(FileManager.default.fileExists(atPath: CodeSymbolCommandTests.grammars + "/rust/parser.so"),
                     "no grammars in \(CodeSymbolCommandTests.grammars): run ./dev.sh test")
        let workspace = try Workspace()
        // NO_COLOR emptied: the test runner's environment may carry it, and colours are what is checked here.
        let terminal = try Tmux(command: workspace.command(environment: "NO_COLOR= QWERY_GRAMMARS=\(CodeSymbolCommandTests.grammars)"),
                                columns: 130, rows: 30)
        try terminal.waitFor { $0.contains("indexed") }
        try terminal.type("top words sym:top")
        // `impl Counts` fits in one chunk, which holds Counts::top: the row leads with the chunk's first symbol and
        // names the line of `fn top` (the definition sym:top asks for), which it shows.
        let screen = try terminal.waitFor { $0.contains("Counts  code/wordcount-rs/src/main.rs:") }
        #expect(screen.contains("Counts  code/wordcount-rs/src/main.rs:27  fn top"), "\(screen)")
        #expect(screen.contains("Counts, Counts::of, Count"), "the preview header names the chunk's symbols")
        // The dark theme's syntax_keyword (#c678dd) is colour 176 on a 256-colour terminal: `use` wears it.
        try terminal.waitFor { _ in (try? terminal.captureWithColours())?.contains("\u{1B}[38;5;176muse") == true }
        #expect(try terminal.captureWithColours().contains("\u{1B}[38;5;176muse"), "no keyword colour in the preview")
    }
}
