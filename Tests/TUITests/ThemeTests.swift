import Foundation
import Testing
@testable import TUI
import TestSupport

/// Theme files and colour degradation.
@Suite("Themes")
struct ThemeTests {
    static let themes = Repository.root + "/themes"

    @Test("Given every shipped theme, when parsed, then all keys are set", arguments: ["dark", "light", "high-contrast", "gruvbox", "nord"])
    func shippedThemes(name: String) throws {
        let path = Self.themes + "/\(name).theme"
        let theme = try Theme.parse(String(contentsOfFile: path, encoding: .utf8), name: name, path: path)
        #expect(Set(theme.colours.keys) == Set(ThemeRole.allCases))
    }

    @Test("Given a binary built in the checkout (.build/<triple>/debug), when themes are looked up, then the checkout's themes/ is found beside the binary — not through argv[0] or the current folder")
    func themesBesideTheBinary() throws {
        let folders = Theme.folders
        let index = try #require(folders.firstIndex(of: Self.themes), "\(folders)")
        #expect(index < folders.count - 1, "found from the binary, before the current-folder fallback")
        #expect(Set(["dark", "light", "high-contrast", "gruvbox", "nord"]).isSubset(of: Set(Theme.available)))
        #expect(throws: Never.self) { try Theme.load(named: "gruvbox") }
    }

    @Test("Given a broken line, when parsed, then the error names the line and what is wrong")
    func brokenTheme() {
        #expect(throws: Theme.ParseError(path: "t", line: 2, message: "\"purple-ish\" is not a colour (a name, #RRGGBB or 0-255)")) {
            try Theme.parse("# comment\naccent = purple-ish\n", name: "t", path: "t")
        }
        #expect(throws: Theme.ParseError.self) { try Theme.parse("colour = red", name: "t", path: "t") }
    }

    @Test("Given #RRGGBB colours, when the terminal has 256, 16 or 8 colours, then the nearest available one is used")
    func degradation() {
        let orange = ThemeColour.rgb(red: 0xff, green: 0x87, blue: 0x00)
        #expect(orange.terminalIndex(available: 256) == 208)
        #expect(orange.terminalIndex(available: 16) < 16)
        #expect(orange.terminalIndex(available: 8) < 8)
        #expect(ThemeColour.rgb(red: 0x30, green: 0x30, blue: 0x30).terminalIndex(available: 256) == 236)
        #expect(ThemeColour.indexed(12).terminalIndex(available: 8) == 4)
        #expect(ThemeColour.terminalDefault.terminalIndex(available: 256) == -1)
    }
}
