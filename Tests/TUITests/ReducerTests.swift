import Foundation
import QweryCore
import Testing
@testable import TUI

/// The reducer and renderer without a terminal.
@Suite("TUI state and rendering")
struct ReducerTests {
    static func result(_ id: Int64, path: String = "/notes/a.md", line: Int = 1, fusedRank: Int) -> SearchResult {
        var result = SearchResult(chunkId: id, path: path, startLine: line, endLine: line + 2, context: "", text: "text \(id)",
                                  contentHash: Data([UInt8(id)]))
        result.fusedRank = fusedRank
        result.fusedScore = 1 / Double(60 + fusedRank)
        return result
    }

    @Test("Given a query whose search has not answered yet, when drawn, then the list says Searching… — and No results only once it answered with none")
    func searchingIsNotNoResults() {
        var state = AppState()
        let effects = reduce(&state, .insert("p"))
        guard case .search(let request)? = effects.first else {
            Issue.record("expected a search")
            return
        }
        func screen() -> String { (0..<state.rows).map { Renderer(colours: false).render(state).line($0) }.joined(separator: "\n") }
        #expect(screen().contains("Searching…") && !screen().contains("No results"))
        _ = reduce(&state, .results(generation: request.generation, results: [], phase: .lexical, milliseconds: 1))
        #expect(screen().contains("No results.") && !screen().contains("Searching…"))
        _ = reduce(&state, .insert("o"))
        #expect(screen().contains("Searching…"))
        _ = reduce(&state, .notice("search failed: Could not search the full-text index within its time budget"))
        #expect(!screen().contains("Searching…"), "a failure is an answer too")
    }

    @Test("Given the themes found, when F7 is pressed, then the next theme is applied, said in the status bar, and the cycle wraps")
    func cyclingThemes() {
        var state = AppState()
        state.themes = ["dark", "gruvbox", "nord"]
        state.themeName = "gruvbox"
        #expect(reduce(&state, .cycleTheme) == [.applyTheme("nord")])
        #expect(state.themeName == "nord" && state.status.notice == "theme: nord")
        #expect(reduce(&state, .cycleTheme) == [.applyTheme("dark")])
        #expect(Keymap.bindings.contains { $0.name == "F7" && { if case .cycleTheme = $0.action { return true }; return false }($0) })
    }

    @Test("Given readline keys, when editing the query, then text and cursor follow readline")
    func queryEditing() {
        var line = QueryLine("hello brave world")
        line.killWordBackward()
        #expect(line.text == "hello brave ")
        line.moveHome()
        line.moveWordRight()
        line.killToEnd()
        #expect(line.text == "hello")
        line.insert("東京")
        line.moveLeft()
        line.deleteBackward()
        #expect(line.text == "hello京")
        line.killToStart()
        #expect(line.text == "京" && line.cursor == 0)
    }

    @Test("Given typing, when the query changes, then a new search generation is requested and stale results are ignored")
    func searchGenerations() {
        var state = AppState()
        let first = reduce(&state, .insert("a"))
        let second = reduce(&state, .insert("b"))
        guard case .search(let request)? = second.first, case .search(let older)? = first.first else {
            Issue.record("expected search effects")
            return
        }
        #expect(request.query.raw == "ab" && request.generation == older.generation + 1)
        _ = reduce(&state, .results(generation: older.generation, results: [Self.result(1, fusedRank: 1)], phase: .lexical, milliseconds: 1))
        #expect(state.results.isEmpty)
        _ = reduce(&state, .results(generation: request.generation, results: [Self.result(1, fusedRank: 1)], phase: .lexical, milliseconds: 1))
        #expect(state.results.count == 1)
    }

    @Test("Given models loading in the background, when they are ready, then the current query is searched again with them")
    func engineReadySearchesAgain() {
        var state = AppState()
        state.status.indexing = .loadingModels
        _ = reduce(&state, .insert("bread"))
        let generation = state.generation
        let effects = reduce(&state, .engineReady(semanticAvailable: true, indexing: true, rerankPolicy: .reorder))
        guard case .search(let request)? = effects.first else {
            Issue.record("expected a search effect")
            return
        }
        #expect(request.query.raw == "bread" && request.generation == generation + 1)
        #expect(state.status.semanticAvailable && state.status.indexing == .starting)

        // A loading notice ("measuring … (once per model)…") ends with the loading; a real problem stays.
        var measuring = AppState()
        _ = reduce(&measuring, .notice("checking each precision's fidelity on this model's weights (once per model)…"))
        _ = reduce(&measuring, .engineReady(semanticAvailable: true, indexing: true, rerankPolicy: .reorder))
        #expect(measuring.status.notice == nil)
        var problem = AppState()
        _ = reduce(&problem, .notice("cannot read the folder /x"))
        _ = reduce(&problem, .engineReady(semanticAvailable: true, indexing: true, rerankPolicy: .reorder))
        #expect(problem.status.notice == "cannot read the folder /x")

        var failed = AppState()
        #expect(reduce(&failed, .engineFailed("models failed to load: bad tensor")).isEmpty)
        #expect(failed.status.notice == "models failed to load: bad tensor")
        #expect(failed.status.embeddingModel.hasPrefix("lexical only") && !failed.status.hasEmbeddingModel)
    }

    @Test("Given a selected result, when rerank scores re-order the list, then the selection stays on that result")
    func selectionFollowsItem() {
        var state = AppState()
        _ = reduce(&state, .insert("q"))
        let results = (1...5).map { Self.result(Int64($0), path: "/n/\($0).md", fusedRank: $0) }
        _ = reduce(&state, .results(generation: state.generation, results: results, phase: .semantic, milliseconds: 2))
        _ = reduce(&state, .moveSelection(2))
        #expect(state.selectedResult?.chunkId == 3)
        _ = reduce(&state, .rerankScore(generation: state.generation, chunkId: 5, score: 0.9, done: 1, total: 5))
        #expect(state.results.first?.chunkId == 5)
        #expect(state.selectedResult?.chunkId == 3)
        #expect(state.status.rerankRunning)
    }

    @Test("Given no explicit selection, when the reranker re-orders, then the top result stays selected")
    func unpinnedSelectionStaysOnTop() {
        var state = AppState()
        _ = reduce(&state, .insert("q"))
        let results = (1...3).map { Self.result(Int64($0), path: "/n/\($0).md", fusedRank: $0) }
        _ = reduce(&state, .results(generation: state.generation, results: results, phase: .semantic, milliseconds: 2))
        _ = reduce(&state, .rerankScore(generation: state.generation, chunkId: 3, score: 0.9, done: 1, total: 3))
        #expect(state.selection == 0 && state.selectedResult?.chunkId == 3)
    }

    @Test("Given the dimension and preset keys, when pressed, then a new search runs with the new settings")
    func liveTweaks() {
        var state = AppState()
        state.fullDimension = 1024
        _ = reduce(&state, .insert("q"))
        guard case .search(let request)? = reduce(&state, .cycleDimensions).first else {
            Issue.record("expected a search")
            return
        }
        #expect(request.dimensions == 32 && state.dimensionLabel == "32d")
        guard case .search(let preset)? = reduce(&state, .cyclePreset).first else {
            Issue.record("expected a search")
            return
        }
        #expect(preset.instruction == InstructionPreset.code.instruction)
        #expect(AppState.dimensionChoices(full: 16) == [nil, 8, 4])
    }

    @Test("Given wide characters, when rendered, then they take two cells and the frame width is kept")
    func wideCharacters() {
        var frame = Frame(rows: 1, columns: 10)
        let used = frame.put("東京abc", row: 0, column: 0, style: .plain)
        #expect(used == 7)
        #expect(frame.line(0) == "東京abc")
        #expect(frame[0, 1].text == "")
        #expect(TextWidth.truncated("東京タワーは高い", to: 7) == "東京タ…")
        #expect(TextWidth.of("e\u{301}") == 1 && TextWidth.of("👍🏽") == 2)
    }

    @Test("Given a state with results, when rendered at 80 and 140 columns, then the query, list, preview and status bar are drawn")
    func rendering() {
        var state = AppState()
        state.roots = ["/notes"]
        _ = reduce(&state, .insert("text"))
        _ = reduce(&state, .results(generation: state.generation, results: [Self.result(1, path: "/notes/a.md", line: 4, fusedRank: 1)],
                                    phase: .semantic, milliseconds: 12))
        for columns in [80, 140] {
            _ = reduce(&state, .resize(rows: 20, columns: columns))
            let frame = Renderer(colours: true).render(state)
            #expect(frame.line(0).hasPrefix("❯ text"))
            #expect(frame.line(0).hasSuffix("semantic 12 ms"))
            #expect(frame.line(2).contains("a.md:4"))
            #expect((0..<20).contains { frame.line($0).contains("a.md  lines 4–6") })
            #expect(frame.line(19).contains(columns == 80 ? "preset:" : "preset: notes") && frame.line(19).hasSuffix("? help"), "\(frame.line(19))")
            #expect(frame.line(19).contains("rerank"), "\(frame.line(19))")
        }
    }

    @Test("Given a minified one-line file, when previewed, then the line wraps onto continuation rows, nothing is cut, and scrolling moves by rows")
    func longLinePreviewWraps() {
        var state = AppState()
        _ = reduce(&state, .resize(rows: 24, columns: 100))
        _ = reduce(&state, .insert("needle"))
        _ = reduce(&state, .results(generation: state.generation, results: [Self.result(1, path: "/notes/app.min.js", line: 1, fusedRank: 1)],
                                    phase: .semantic, milliseconds: 1))
        let line = (0..<40).map { "function f\($0)(a){return a+\($0)}" }.joined(separator: ";") + ";needle();THE_END"
        _ = reduce(&state, .previewLoaded(path: "/notes/app.min.js", lines: [line, "second line"]))

        func previewText(_ frame: Frame) -> String {
            let layout = Layout(rows: 24, columns: 100)
            return (layout.preview.row + 1..<layout.preview.row + layout.preview.height).map { row in
                String(frame.line(row).dropFirst(layout.preview.column))
            }.joined(separator: "\n")
        }
        let frame = Renderer(colours: true).render(state)
        let layout = Layout(rows: 24, columns: 100)
        let rows = previewText(frame).split(separator: "\n")
        #expect(rows.first?.contains("1 function f0(a){return a+0}") == true, "\(rows)")
        #expect(rows.dropFirst().first?.contains("↪ ") == true, "\(rows)")
        // Every character of the line is on screen, in order, across the rows it wraps onto (or below them).
        _ = reduce(&state, .toggleFocus)
        var seen = ""
        for scroll in stride(from: 0, to: 60, by: layout.preview.height - 1) {
            state.previewScroll = scroll
            // Each row: the chunk marker, a one-column gutter ("1" or "↪") and a space, then the text.
            seen += previewText(Renderer(colours: true).render(state)).split(separator: "\n").map { String($0.dropFirst(3)) }.joined()
        }
        // (Frame.line drops a row's trailing spaces, so compare without spaces.)
        #expect(seen.replacingOccurrences(of: " ", with: "").contains(line.replacingOccurrences(of: " ", with: "")), "\(seen)")
        #expect(seen.contains("second line"))
    }

    @Test("Given a first index embedding, when a batch of vectors is committed, then the query is searched again, coverage shows, and lexical results ask for their chunks first")
    func coverageGrowsWhileIndexing() {
        var state = AppState()
        state.columns = 160
        state.rows = 20
        _ = reduce(&state, .insert("budget"))
        let generation = state.generation

        let effects = reduce(&state, .semanticCoverage(searchable: 1_240, remaining: 7_070))

        guard case .search(let request)? = effects.first else {
            Issue.record("expected a new search, got \(effects)")
            return
        }
        #expect(request.generation == generation + 1)
        #expect(state.status.semanticAvailable)
        let bottom = Renderer(colours: true).render(state).line(state.rows - 1)
        #expect(bottom.contains("semantic over 1,240 of 8,310 chunks"), "\(bottom)")

        let lexical = reduce(&state, .results(generation: state.generation, results: [Self.result(7, fusedRank: 1)], phase: .lexical, milliseconds: 1))
        #expect(lexical.contains(.prioritizeEmbedding([Data([7])])))

        // Embedding starts: said before the first batch is done, without a rate yet.
        _ = reduce(&state, .indexEvent(.embedding(done: 0, total: 8_310, tokensPerSecond: 0)))
        #expect(Renderer(colours: true).render(state).line(state.rows - 1).hasPrefix(" embedding 0/8310 │"))
        _ = reduce(&state, .indexEvent(.finished(IndexSummary())))
        #expect(state.status.coverage == nil)
        #expect(!Renderer(colours: true).render(state).line(state.rows - 1).contains("semantic over"))
    }

    @Test("Given a query typed during a first scan, when files are saved one by one, then it is searched again after the 1st, 2nd, 4th… file and each tenth, not per file")
    func searchesAgainDuringScan() {
        var state = AppState()
        _ = reduce(&state, .insert("lantern"))
        var searchedAt: [Int] = []
        for done in 1...40 {
            let effects = reduce(&state, .indexEvent(.indexed(path: "/notes/\(done).md", chunks: 2, done: done, total: 40)))
            if case .search(let request)? = effects.first {
                #expect(request.generation == state.generation)
                searchedAt.append(done)
            }
        }
        #expect(searchedAt == [1, 2, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40])
        // With an empty query nothing is searched.
        var empty = AppState()
        #expect(reduce(&empty, .indexEvent(.indexed(path: "/notes/a.md", chunks: 1, done: 1, total: 3))).isEmpty)
    }

    @Test("Given a selected result, when Alt-s (or F6) is pressed, then the query becomes similar:PATH:LINE and is searched")
    func similarKey() {
        var state = AppState()
        _ = reduce(&state, .insert("bread"))
        _ = reduce(&state, .results(generation: state.generation, results: [Self.result(3, path: "/notes/bread.md", line: 12, fusedRank: 1)],
                                    phase: .semantic, milliseconds: 5))
        let keyed = Keymap.actions(for: .character(UInt32(("s" as Unicode.Scalar).value)), alt: true, state: state)
        guard keyed.count == 1, case .similarToSelection = keyed[0] else {
            Issue.record("Alt-s gave \(keyed)")
            return
        }
        let effects = reduce(&state, .similarToSelection)
        #expect(state.query.text == "similar:/notes/bread.md:12")
        guard case .search(let request)? = effects.first else {
            Issue.record("expected a search, got \(effects)")
            return
        }
        #expect(request.query.raw == "similar:/notes/bread.md:12")
        #expect(request.similar == SimilarTarget(path: "/notes/bread.md", line: 12), "a request kind, not text to re-parse")
        #expect(!request.rerank, "ranked by stored vectors; the reranker has no query to judge by")
        // Its results arrive as the semantic phase; no rerank pass is awaited.
        _ = reduce(&state, .results(generation: request.generation, results: [Self.result(4, path: "/notes/rye.md", line: 1, fusedRank: 1)],
                                    phase: .semantic, milliseconds: 3))
        #expect(!state.status.rerankRunning && state.status.rerankTotal == 0)
        // Editing the line makes it text again.
        let edited = reduce(&state, .insert("x"))
        guard case .search(let textRequest)? = edited.first else {
            Issue.record("expected a search after editing, got \(edited)")
            return
        }
        #expect(textRequest.similar == nil && textRequest.query.raw == "similar:/notes/bread.md:12x")
        #expect(Keymap.helpLines.contains { $0.keys == "F6 Alt-s" && $0.help.hasPrefix("more like the selected result") })
    }

    @Test("Given a message longer than the status bar, when rendered, then it comes first, cut, F1 is offered, and the help window shows all of it")
    func longMessage() {
        var state = AppState()
        state.rows = 24
        state.columns = 80
        let message = "models failed to load: /home/me/models/Qwen3-Embedding-0.6B/model.safetensors is truncated: tensor layers.27.mlp.down_proj.weight ends at byte 1191586816 but the file has 1073741824 bytes. Re-download the checkpoint."
        _ = reduce(&state, .notice(message))

        let bar = Renderer(colours: true).render(state).line(23)
        #expect(bar.hasPrefix(" ⚠ models failed to load: /home/me/models"), "\(bar)")
        #expect(bar.hasSuffix(" F1: whole message"), "\(bar)")

        _ = reduce(&state, .toggleHelp)
        let frame = Renderer(colours: true).render(state)
        let shown = (0..<24).map { frame.line($0).replacingOccurrences(of: "│", with: " ").trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
        let words = message.split(separator: " ")
        #expect(words.allSatisfy { shown.contains($0) }, "\(shown)")
        #expect(shown.contains("Re-download the checkpoint."))
        #expect(TextWidth.wrapped("abc defgh ij", width: 5) == ["abc", "defgh", "ij"])
        #expect(TextWidth.wrapped("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
    }

    @Test("Given the keymap's table, when the help is drawn and keys are pressed, then every named key is in the help and does what its line says")
    func helpFromKeymap() {
        let state = AppState()
        let help = Keymap.helpLines
        for binding in Keymap.bindings {
            let input: KeyInput
            var alt = false
            switch binding.key {
            case .character(let value): input = .character(value)
            case .function(let code): input = .function(code)
            case .alt(let letter):
                input = .character(letter.unicodeScalars.first?.value ?? 0)
                alt = true
            }
            let actions = Keymap.actions(for: input, alt: alt, state: state)
            #expect(actions.count == 1 && String(describing: actions[0]) == String(describing: binding.action), "\(binding.name)")
            if !binding.name.isEmpty {
                #expect(help.contains { $0.help == binding.help && $0.keys.split(separator: " ").contains(Substring(binding.name)) }, "\(binding.name)")
            }
        }
        #expect(help.first?.keys == "type" && help.last?.keys == "mouse")
        #expect(help.contains { $0.keys == "Esc Ctrl-C" && $0.help == "close a window, or quit" })
        #expect(Set(help.map(\.help)).count == help.count)
    }
}

extension ReducerTests {
    @Test("Given a query of filters alone, when searched, then nothing is reranked; an earlier query's failure leaves the status bar when results come")
    func filtersAloneAndStaleFailures() {
        var state = AppState()
        state.status.rerankerModel = "tiny-causal"
        var effects: [Effect] = []
        for character in "sym:reconcile" { effects = reduce(&state, .insert(String(character))) }
        guard case .search(let request)? = effects.first else {
            Issue.record("expected a search effect")
            return
        }
        #expect(!request.rerank && state.isFilterOnlyQuery)
        _ = reduce(&state, .notice("search failed: Query, character 1: sym: needs a value"))
        _ = reduce(&state, .results(generation: request.generation, results: [Self.result(1, fusedRank: 1)], phase: .semantic, milliseconds: 1))
        #expect(state.status.notice == nil && state.status.rerankTotal == 0 && !state.status.rerankRunning)
        _ = reduce(&state, .resize(rows: 20, columns: 120))
        #expect(Renderer(colours: false).render(state).line(0).hasSuffix("filters: sym:reconcile · listed 1 ms"))
        for character in " ledger" { effects = reduce(&state, .insert(String(character))) }
        guard case .search(let worded)? = effects.first else {
            Issue.record("expected a search effect")
            return
        }
        #expect(worded.rerank && !state.isFilterOnlyQuery, "words to judge: reranked")
        _ = reduce(&state, .notice("index: disk full"))
        _ = reduce(&state, .results(generation: worded.generation, results: [Self.result(1, fusedRank: 1)], phase: .lexical, milliseconds: 1))
        #expect(state.status.notice == "index: disk full", "other notices stay")
    }
}

extension ReducerTests {
    @Test("Given a precision being measured, when the status bar is drawn, then it says so with its estimate and no warning sign, and nothing once it is done")
    func measuringIsNoWarning() {
        var state = AppState()
        _ = reduce(&state, .activity("checking that the faster precisions stay faithful to this model's weights (once per model): about 20 s"))
        var frame = Frame(rows: 1, columns: 200)
        StatusBarView(colours: true).draw(state, in: Layout.Region(row: 0, column: 0, height: 1, width: 200), into: &frame)
        #expect(frame.line(0).contains("faithful to this model's weights (once per model): about 20 s"))
        #expect(!frame.line(0).contains("⚠"))
        _ = reduce(&state, .activity(nil))
        frame = Frame(rows: 1, columns: 200)
        StatusBarView(colours: true).draw(state, in: Layout.Region(row: 0, column: 0, height: 1, width: 200), into: &frame)
        #expect(!frame.line(0).contains("faithful"))
    }
}

extension ReducerTests {
    @Test("Given F6 on a chunk without a vector, when that search fails, then the query line and the list are what they were, with a notice, and the chunk jumps the embedding queue")
    func similarWithoutVectorGoesBack() {
        var state = AppState()
        state.query = QueryLine("lantern")
        state.results = [Self.result(1, fusedRank: 1), Self.result(2, path: "/notes/b.md", fusedRank: 2)]
        state.selection = 1
        state.answeredGeneration = state.generation
        let effects = reduce(&state, .similarToSelection)
        #expect(effects.contains(.prioritizeEmbedding([Data([2])])))
        #expect(state.isSimilarSearch)
        let generation = state.generation
        _ = reduce(&state, .similarFailed(generation: generation, message: "more like this needs that chunk's vector"))
        #expect(state.query.text == "lantern")
        #expect(state.results.map(\.chunkId) == [1, 2])
        #expect(state.selection == 1)
        #expect(!state.isSimilarSearch)
        #expect(state.status.notice == "more like this needs that chunk's vector")
        #expect(state.generation > generation, "a late answer of the failed search is dropped")
    }
}

extension ReducerTests {
    @Test("Given a long symbol and path in a narrow list, when drawn, then the matching line keeps its share and nothing crosses into the preview's column")
    func longSymbolKeepsTheMatch() {
        var state = AppState()
        state.query = QueryLine("lantern")
        var result = SearchResult(chunkId: 1, path: "/notes/" + String(repeating: "deeply-nested-folder/", count: 6) + "file.swift",
                                  startLine: 1, endLine: 1, context: "", text: "the lantern line", contentHash: Data([1]))
        result.fusedRank = 1
        result.fusedScore = 1 / 61
        result.symbol = "VeryLongNamespace.AnotherQuiteLongTypeName.someExtremelyLongMethodNameThatGoesOnAndOn"
        state.results = [result]
        var frame = Frame(rows: 1, columns: 90)
        frame.put("│", row: 0, column: 80, style: CellStyle())
        ResultListView(colours: true).draw(state, in: Layout.Region(row: 0, column: 0, height: 1, width: 80), into: &frame)
        let line = frame.line(0)
        #expect(line.contains("  the lant"), "the matching line keeps its start: \(line)")
        #expect(line.contains("file.swift:1"), "the path keeps its file and line: \(line)")
        #expect(Array(line)[80] == "│", "the separator column is untouched: \(line)")
        #expect(ResultListView.budget(available: 100, symbol: 10, location: 20, snippet: 80) == (10, 20))
        #expect(ResultListView.budget(available: 48, symbol: 8, location: 34, snippet: 30) == (8, 34), "six columns of the line are enough")
        let cut = ResultListView.budget(available: 100, symbol: 80, location: 60, snippet: 100)
        #expect(cut.symbol == 29 && cut.location == 59, "\(cut)")
    }

    @Test("Given a narrow terminal, when the status bar is drawn, then the rerank state and the last search's time still show")
    func narrowStatusBarKeepsRerankAndTime() {
        var state = AppState()
        state.status.lastSearchMilliseconds = 42
        state.status.notice = "a long message about something that happened while indexing the folder of notes"
        var frame = Frame(rows: 1, columns: 60)
        StatusBarView(colours: true).draw(state, in: Layout.Region(row: 0, column: 0, height: 1, width: 60), into: &frame)
        #expect(frame.line(0).contains("42 ms"), "\(frame.line(0))")
        #expect(frame.line(0).contains("reranker") || frame.line(0).contains("rerank"), "\(frame.line(0))")
    }
}
