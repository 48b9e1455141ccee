import Foundation
import QweryCore

/// Applies one action to the state and returns the work to do. Pure: no I/O, no clocks.
package func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
    if case .instructionEditor = state.overlay, let effects = reduceInstructionEditor(&state, action) {
        return effects
    }
    switch action {
    case .insert(let text):
        state.query.insert(text)
        return queryChanged(&state)
    case .deleteBackward: return edit(&state) { $0.deleteBackward() }
    case .deleteForward: return edit(&state) { $0.deleteForward() }
    case .killToStart: return edit(&state) { $0.killToStart() }
    case .killToEnd: return edit(&state) { $0.killToEnd() }
    case .killWordBackward: return edit(&state) { $0.killWordBackward() }
    case .cursorLeft: state.query.moveLeft()
    case .cursorRight: state.query.moveRight()
    case .cursorHome: state.query.moveHome()
    case .cursorEnd: state.query.moveEnd()
    case .wordLeft: state.query.moveWordLeft()
    case .wordRight: state.query.moveWordRight()

    case .moveSelection(let delta):
        if state.focus == .preview { state.previewScroll = max(0, state.previewScroll + delta); return [] }
        return select(&state, state.selection + delta)
    case .pageUp:
        if state.focus == .preview { state.previewScroll = max(0, state.previewScroll - state.listHeight); return [] }
        return select(&state, state.selection - max(1, state.listHeight - 1))
    case .pageDown:
        if state.focus == .preview { state.previewScroll += state.listHeight; return [] }
        return select(&state, state.selection + max(1, state.listHeight - 1))
    case .selectRow(let row):
        return select(&state, state.listScroll + row)
    case .scroll(let delta):
        if state.focus == .preview { state.previewScroll = max(0, state.previewScroll + delta); return [] }
        return select(&state, state.selection + delta)
    case .scrollPreview(let delta):
        state.previewScroll = max(0, state.previewScroll + delta)
    case .toggleFocus:
        state.focus = state.focus == .list ? .preview : .list
    case .open:
        if let result = state.selectedResult {
            if DocumentOpener.opensInViewer(result.path) {
                if case .page(let page) = result.locator { return [.openDocument(path: result.path, page: page)] }
                return [.openDocument(path: result.path, page: nil)]
            }
            // At the line the list shows: the first naming the query's words, or the definition a `sym:` asks for
            // (a document's lines are its extracted text's, so it opens at the chunk).
            let offset = result.locator != nil || DocumentFormat(path: result.path) != nil ? 0 : result.bestLine(for: state.analysis).offset
            return [.openEditor(path: result.path, line: result.startLine + offset)]
        }

    case .similarToSelection:
        guard let result = state.selectedResult else { break }
        let target = SimilarTarget(path: result.path, line: result.startLine)
        state.beforeSimilar = (state.query, state.results, state.selection, state.answeredGeneration)
        state.similarTarget = target
        state.query = QueryLine(target.queryText)
        state.selection = 0
        state.selectionPinned = false
        // A chunk without a vector yet jumps the embedding queue, so F6 works on it moments later.
        return searchAgain(&state) + [.prioritizeEmbedding([result.contentHash])]
    case .similarFailed(let generation, let message):
        guard generation == state.generation, let before = state.beforeSimilar else { break }
        state.beforeSimilar = nil
        state.similarTarget = nil
        state.generation += 1
        state.query = before.query
        state.results = before.results
        state.selection = min(before.selection, max(0, before.results.count - 1))
        state.answeredGeneration = state.generation
        state.status.notice = message
    case .cycleDimensions:
        state.dimensionIndex = (state.dimensionIndex + 1) % state.dimensionChoices.count
        return searchAgain(&state)
    case .cyclePreset:
        state.customInstruction = nil
        state.presetIndex = (state.presetIndex + 1) % state.presets.count
        return searchAgain(&state)
    case .cycleTheme:
        guard !state.themes.isEmpty else { return [] }
        let next = ((state.themes.firstIndex(of: state.themeName) ?? -1) + 1) % state.themes.count
        state.themeName = state.themes[next]
        state.status.notice = "theme: \(state.themeName)"
        return [.applyTheme(state.themeName)]
    case .editInstruction:
        state.overlay = .instructionEditor(selected: state.customInstruction == nil ? state.presetIndex : state.presets.count,
                                           custom: QueryLine(state.customInstruction ?? ""))
    case .toggleRerank:
        state.rerankEnabled.toggle()
        return searchAgain(&state)
    case .toggleHelp:
        state.overlay = state.overlay == .help ? nil : .help
    case .escape:
        if state.overlay != nil { state.overlay = nil } else if state.focus == .preview { state.focus = .list } else { return quit(&state) }
    case .quit:
        return quit(&state)
    case .resize(let rows, let columns):
        state.rows = rows
        state.columns = columns
        keepSelectionVisible(&state)

    case .results(let generation, let results, let phase, let milliseconds):
        guard generation == state.generation else { return [] }
        state.answeredGeneration = generation
        let selected = state.selectedResult?.chunkId
        // An earlier query's failure is not this one's.
        if state.status.notice?.hasPrefix("search failed") == true { state.status.notice = nil }
        state.results = results
        state.phase = phase
        state.status.lastSearchMilliseconds = milliseconds
        if phase == .semantic {
            state.status.rerankDone = 0
            state.status.rerankTotal = state.rerankEnabled && !state.isSimilarSearch && state.analysis.isRerankable && state.status.rerankerModel != nil
                ? min(state.rerankDepth, results.count) : 0
            state.status.rerankRunning = state.status.rerankTotal > 0
        }
        var effects = restoreSelection(&state, chunkId: selected)
        // While vectors are still being made, the chunks the user is looking at are embedded next.
        if phase == .lexical, let coverage = state.status.coverage, coverage.searchable < coverage.total {
            effects.append(.prioritizeEmbedding(results.prefix(state.listHeight).map(\.contentHash)))
        }
        return effects
    case .rerankScore(let generation, let chunkId, let score, let done, let total):
        guard generation == state.generation, let index = state.results.firstIndex(where: { $0.chunkId == chunkId }) else { return [] }
        let selected = state.selectedResult?.chunkId
        state.results[index].rerankScore = score
        state.results = ScreenSession.reordered(state.results, depth: state.rerankDepth, policy: state.rerankPolicy)
        state.status.rerankDone = done
        state.status.rerankTotal = total
        state.status.rerankRunning = done < total
        return restoreSelection(&state, chunkId: selected)
    case .rerankFinished(let generation, _):
        guard generation == state.generation else { return [] }
        state.status.rerankRunning = false
    case .indexEvent(let event):
        let wasEmbedding = state.status.indexing.isEmbedding
        applyIndexEvent(&state, event)
        guard !state.query.text.isEmpty else { break }
        // Search again as files arrive in the lexical index during a scan (a query typed while a first index
        // lists files would otherwise show "No results" until embedding starts), when embedding starts and
        // when all is done.
        if case .finished = event { return searchAgain(&state) }
        if case .changesIndexed = event { return searchAgain(&state) }
        if case .embedding = event, !wasEmbedding { return searchAgain(&state) }
        if case .indexed(_, _, let done, let total) = event, isScanSearchPoint(done: done, total: total) { return searchAgain(&state) }
    case .previewLoaded(let path, let lines, let highlights):
        if path.isSamePath(as: state.selectedResult?.path) {
            state.previewPath = path
            state.previewLines = lines
            state.previewHighlights = highlights
        }
    case .activity(let text):
        state.status.activity = text
    case .notice(let message):
        state.status.notice = message
        if message.hasPrefix("search failed") { state.answeredGeneration = state.generation }
    case .watching(let summary):
        state.status.watching = summary
    case .semanticCoverage(let searchable, let remaining):
        // Each committed batch is searchable at once: the list is searched again (the selection stays on
        // its chunk, as for any new results) so it re-ranks as coverage grows.
        state.status.coverage = AppState.Coverage(searchable: searchable, total: searchable + remaining)
        let wasAvailable = state.status.semanticAvailable
        state.status.semanticAvailable = searchable > 0
        guard !state.query.text.isEmpty, searchable > 0 || wasAvailable else { break }
        return searchAgain(&state)
    case .engineReady(let semanticAvailable, let indexing, let rerankPolicy):
        state.rerankPolicy = rerankPolicy
        state.status.semanticAvailable = semanticAvailable
        if state.status.indexing == .loadingModels { state.status.indexing = indexing ? .starting : .notWatching }
        // A notice ending in "…" said what loading was doing (measuring a precision); loading is done.
        if state.status.notice?.hasSuffix("…") == true { state.status.notice = nil }
        return searchAgain(&state)
    case .served(let pid):
        state.status.indexing = .served(pid: pid)
    case .engineFailed(let message):
        state.status.notice = message
        state.status.embeddingModel = "lexical only (no model)"
        state.status.hasEmbeddingModel = false
        state.status.rerankerModel = nil
        state.status.indexing = .lexicalOnly
    }
    return []
}

// MARK: - Helpers

/// While a scan saves files one by one, the list is searched again after the 1st, 2nd, 4th, 8th… file and at
/// every tenth of the run: a handful of searches however many files there are, and no clock in the reducer.
func isScanSearchPoint(done: Int, total: Int) -> Bool {
    guard done > 0 else { return false }
    if done & (done - 1) == 0 || done == total { return true }
    guard total >= 10 else { return false }
    return done * 10 / total != (done - 1) * 10 / total
}

private func edit(_ state: inout AppState, _ change: (inout QueryLine) -> Void) -> [Effect] {
    let before = state.query.text
    change(&state.query)
    return state.query.text == before ? [] : queryChanged(&state)
}

private func queryChanged(_ state: inout AppState) -> [Effect] {
    state.selection = 0
    state.selectionPinned = false
    state.listScroll = 0
    state.previewScroll = 0
    return searchAgain(&state)
}

/// A new generation of results for the current query, instruction and dimension.
private func searchAgain(_ state: inout AppState) -> [Effect] {
    state.generation += 1
    state.status.rerankRunning = false
    state.status.rerankDone = 0
    state.status.rerankTotal = 0
    if state.query.text.trimmingCharacters(in: .whitespaces).isEmpty {
        state.results = []
        state.phase = nil
        return []
    }
    var request = ScreenQuery(generation: state.generation, query: state.analysis, instruction: state.instruction,
                                dimensions: state.dimensions, rerank: state.rerankEnabled && !state.isSimilarSearch && state.analysis.isRerankable)
    request.similar = state.isSimilarSearch ? state.similarTarget : nil
    return [.search(request)]
}

private func select(_ state: inout AppState, _ index: Int) -> [Effect] {
    guard !state.results.isEmpty else { return [] }
    state.selectionPinned = true
    let previous = state.selectedResult?.path
    state.selection = min(max(0, index), state.results.count - 1)
    state.previewScroll = 0
    keepSelectionVisible(&state)
    return previewEffects(&state, previous: previous)
}

/// After the list changed under the user, stay on the same chunk (the reranker moves things).
private func restoreSelection(_ state: inout AppState, chunkId: Int64?) -> [Effect] {
    let previous = state.previewPath
    if !state.selectionPinned {
        state.selection = 0
    } else if let chunkId, let index = state.results.firstIndex(where: { $0.chunkId == chunkId }) {
        state.selection = index
    } else {
        state.selection = min(state.selection, max(0, state.results.count - 1))
        state.previewScroll = 0
    }
    keepSelectionVisible(&state)
    return previewEffects(&state, previous: previous)
}

private func previewEffects(_ state: inout AppState, previous: String?) -> [Effect] {
    guard let path = state.selectedResult?.path else { return [] }
    if path.isSamePath(as: previous) && path.isSamePath(as: state.previewPath) { return [] }
    return [.loadPreview(path: path)]
}

private func keepSelectionVisible(_ state: inout AppState) {
    let height = max(1, state.listHeight)
    if state.selection < state.listScroll { state.listScroll = state.selection }
    if state.selection >= state.listScroll + height { state.listScroll = state.selection - height + 1 }
    state.listScroll = max(0, min(state.listScroll, max(0, state.results.count - height)))
}

private func quit(_ state: inout AppState) -> [Effect] {
    state.shouldQuit = true
    return [.quit]
}

private func applyIndexEvent(_ state: inout AppState, _ event: IndexEvent) {
    switch event {
    // A scan beside an embedding pass (a file saved during a first index) leaves the pass's progress shown.
    case .scanning(let root) where !state.status.indexing.isEmbedding: state.status.indexing = .scanning(folder: root)
    case .indexed(_, _, let done, let total) where !state.status.indexing.isEmbedding:
        state.status.indexing = .indexingFiles(done: done, total: total)
    case .scanning, .indexed, .skipped, .removed, .followedWriter, .changesIndexed: break
    case .embedding(let done, let total, let rate): state.status.indexing = .embedding(done: done, total: total, tokensPerSecond: rate)
    case .finished(let summary):
        state.status.indexing = .indexed
        state.status.coverage = nil
        if summary.chunksEmbedded > 0 { state.status.semanticAvailable = true }
    case .problem(let message): state.status.notice = message
    case .followingWriter(let pid), .waitingForWatcher(let pid): state.status.indexing = .followingWriter(pid: pid)
    }
}

/// The instruction editor: ↑/↓ pick a preset or the custom line, typing edits it, Enter applies.
private func reduceInstructionEditor(_ state: inout AppState, _ action: Action) -> [Effect]? {
    guard case .instructionEditor(var selected, var custom) = state.overlay else { return nil }
    let customRow = state.presets.count
    switch action {
    case .moveSelection(let delta): selected = min(max(0, selected + delta), customRow)
    case .insert(let text): selected = customRow; custom.insert(text)
    case .deleteBackward: custom.deleteBackward()
    case .killToStart: custom.killToStart()
    case .killWordBackward: custom.killWordBackward()
    case .cursorLeft: custom.moveLeft()
    case .cursorRight: custom.moveRight()
    case .open:
        state.overlay = nil
        if selected < customRow {
            state.presetIndex = selected
            state.customInstruction = nil
        } else if !custom.text.trimmingCharacters(in: .whitespaces).isEmpty {
            state.customInstruction = custom.text
        }
        return searchAgain(&state)
    case .escape, .editInstruction:
        state.overlay = nil
        return []
    case .quit:
        return nil
    default:
        return nil
    }
    state.overlay = .instructionEditor(selected: selected, custom: custom)
    return []
}
