import Foundation
import QweryCore
import Testing
@testable import TUI

/// A screen that types a script of keys into the real event loop and keeps every frame it is given.
/// A `waitFor` step holds the keys back until a drawn frame shows its text (or fails after `timeout`
/// seconds of waiting, so a broken loop ends the test instead of hanging it).
final class ScriptedScreen: Screen {
    enum Step {
        case type(String)
        case waitFor(String)
    }

    let size = (rows: 20, columns: 100)
    let colours = false
    private var steps: [Step]
    private(set) var frames: [Frame] = []
    private(set) var failures: [String] = []
    private var waitingSince: Date?
    private let timeout: TimeInterval

    init(_ steps: [Step], timeout: TimeInterval = 120) {
        self.steps = steps
        self.timeout = timeout
    }

    var lastScreen: String {
        guard let frame = frames.last else { return "" }
        return (0..<size.rows).map(frame.line).joined(separator: "\n")
    }

    func readKey() -> KeyInput? {
        guard let step = steps.first else { return .character(3) }  // Ctrl-C once the script is done
        switch step {
        case .type(let text):
            guard let scalar = text.unicodeScalars.first else {
                steps.removeFirst()
                return nil
            }
            let rest = String(text.unicodeScalars.dropFirst())
            if rest.isEmpty { steps.removeFirst() } else { steps[0] = .type(rest) }
            return .character(scalar.value)
        case .waitFor(let text):
            if lastScreen.contains(text) {
                steps.removeFirst()
                waitingSince = nil
                return nil
            }
            let since = waitingSince ?? Date()
            waitingSince = since
            if Date().timeIntervalSince(since) > timeout {
                failures.append("never saw \"\(text)\"; last screen:\n\(lastScreen)")
                steps.removeAll()
                return .character(3)
            }
            // Idle like a terminal without keys: the loop meanwhile takes the background events.
            usleep(2_000)
            return nil
        }
    }

    func draw(_ frame: Frame) { frames.append(frame) }
    func suspend(_ body: () -> Void) { body() }
    func close() {}
}

/// The real event loop, headless: keys from a script, background indexing, frames kept.
@Suite("Event loop")
struct EventLoopTests {
    @Test("Given a folder being indexed, when the user types a query, then the indexing events reach the status bar and the frame lists the matching note")
    func typeWhileIndexing() throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("qwery-loop-\(UUID().uuidString)")
            .resolvingSymlinksInPath().path
        let notes = base + "/notes"
        try FileManager.default.createDirectory(atPath: notes, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        try "# Bread\n\nFeed the sourdough starter twice a day.\n".write(toFile: notes + "/bread.md", atomically: true, encoding: .utf8)
        try "# Trip\n\nTrain to Porto, then Madrid.\n".write(toFile: notes + "/trip.md", atomically: true, encoding: .utf8)
        let settings = try Settings.resolve(.init(index: base + "/index.sqlite"), environment: [:], config: ConfigFile(), discover: { _ in nil })
        let library = try Library(settings: settings)
        let configuration = App.Configuration(roots: [notes], theme: .builtInDark, useColours: false, embeddingModelName: nil,
                                              rerankerModelName: nil, fullDimension: 1024)
        let app = App(configuration: configuration) { post in
            try ScreenSession(library: library, options: ScreenSession.Options(roots: [notes]), post: post)
        }
        let screen = ScriptedScreen([.waitFor("indexed"), .type("sourdough"), .waitFor("bread.md")])

        try app.run(on: screen)

        #expect(screen.failures.isEmpty, "\(screen.failures)")
        #expect(screen.frames.contains { frame in (0..<20).map(frame.line).joined().contains("loading models…") })
        let last = screen.lastScreen
        #expect(last.contains("sourdough"))
        #expect(last.contains("bread.md"))
        #expect(!last.contains("trip.md"))
        #expect(last.contains("watching"))
    }
}
