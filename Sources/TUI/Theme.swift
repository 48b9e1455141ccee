import QweryCore
import Foundation

/// A colour as a theme file names it.
package enum ThemeColour: Sendable, Equatable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// One of the 256 indexed colours (0–15 are the basic and bright ones).
    case indexed(Int)
    case rgb(red: Int, green: Int, blue: Int)

    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    init?(parsing text: String) {
        let value = text.trimmingCharacters(in: .whitespaces).lowercased()
        if value == "default" {
            self = .terminalDefault
        } else if let index = Self.names.firstIndex(of: value) {
            self = .indexed(index)
        } else if value.hasPrefix("bright_"), let index = Self.names.firstIndex(of: String(value.dropFirst(7))) {
            self = .indexed(index + 8)
        } else if value.hasPrefix("#"), value.count == 7, let number = Int(value.dropFirst(), radix: 16) {
            self = .rgb(red: number >> 16, green: (number >> 8) & 0xFF, blue: number & 0xFF)
        } else if let index = Int(value), (0...255).contains(index) {
            self = .indexed(index)
        } else {
            return nil
        }
    }

    /// The nearest colour a terminal with `available` colours (8, 16 or 256) can show; -1 is the default.
    func terminalIndex(available: Int) -> Int {
        switch self {
        case .terminalDefault:
            return -1
        case .indexed(let index):
            if index < available { return index }
            let (red, green, blue) = Self.rgbOfIndex(index)
            return Self.nearestBasic(red, green, blue, count: available >= 16 ? 16 : 8)
        case .rgb(let red, let green, let blue):
            if available >= 256 { return Self.nearest256(red, green, blue) }
            return Self.nearestBasic(red, green, blue, count: available >= 16 ? 16 : 8)
        }
    }

    /// xterm's 6×6×6 cube and 24-step grey ramp.
    static func nearest256(_ red: Int, _ green: Int, _ blue: Int) -> Int {
        let levels = [0, 95, 135, 175, 215, 255]
        func level(_ value: Int) -> Int { levels.indices.min { abs(levels[$0] - value) < abs(levels[$1] - value) } ?? 0 }
        let cube = 16 + 36 * level(red) + 6 * level(green) + level(blue)
        let grey = max(0, min(23, (((red + green + blue) / 3) - 8 + 5) / 10))
        let greyValue = 8 + 10 * grey
        let cubeRGB = rgbOfIndex(cube)
        func distance(_ a: (Int, Int, Int)) -> Int {
            (a.0 - red) * (a.0 - red) + (a.1 - green) * (a.1 - green) + (a.2 - blue) * (a.2 - blue)
        }
        return distance((greyValue, greyValue, greyValue)) < distance(cubeRGB) ? 232 + grey : cube
    }

    static let basicPalette: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    static func nearestBasic(_ red: Int, _ green: Int, _ blue: Int, count: Int) -> Int {
        (0..<count).min { a, b in
            let (ar, ag, ab) = basicPalette[a], (br, bg, bb) = basicPalette[b]
            return (ar - red) * (ar - red) + (ag - green) * (ag - green) + (ab - blue) * (ab - blue)
                < (br - red) * (br - red) + (bg - green) * (bg - green) + (bb - blue) * (bb - blue)
        } ?? 7
    }

    static func rgbOfIndex(_ index: Int) -> (Int, Int, Int) {
        if index < 16 { return basicPalette[index] }
        if index >= 232 { let value = 8 + 10 * (index - 232); return (value, value, value) }
        let levels = [0, 95, 135, 175, 215, 255]
        let cube = index - 16
        return (levels[cube / 36], levels[(cube / 6) % 6], levels[cube % 6])
    }
}

/// What each part of the screen is drawn with.
package enum ThemeRole: String, CaseIterable, Sendable {
    case background, foreground, dim, accent, path
    case lineNumber = "line_number"
    case match
    case selectionBackground = "selection_background"
    case selectionForeground = "selection_foreground"
    case scoreBar = "score_bar"
    case movedUp = "moved_up"
    case movedDown = "moved_down"
    case statusBackground = "status_background"
    case statusForeground = "status_foreground"
    case border, prompt, error
    /// Code in the preview, by what its grammar's highlight queries capture.
    case syntaxKeyword = "syntax_keyword"
    case syntaxString = "syntax_string"
    case syntaxComment = "syntax_comment"
    case syntaxFunction = "syntax_function"
    case syntaxType = "syntax_type"
    case syntaxNumber = "syntax_number"
    case syntaxConstant = "syntax_constant"
    case syntaxProperty = "syntax_property"

    /// The role that colours a kind of highlighted code.
    package static func syntax(_ kind: SyntaxKind) -> ThemeRole {
        switch kind {
        case .keyword: return .syntaxKeyword
        case .string: return .syntaxString
        case .comment: return .syntaxComment
        case .function: return .syntaxFunction
        case .type: return .syntaxType
        case .number: return .syntaxNumber
        case .constant: return .syntaxConstant
        case .property: return .syntaxProperty
        }
    }
}

/// A colour theme read from a `themes/*.theme` file.
package struct Theme: Sendable, Equatable {
    package var name: String
    package var colours: [ThemeRole: ThemeColour]

    /// A theme file that cannot be used, with the line at fault.
    package struct ParseError: Error, CustomStringConvertible, Equatable {
        package let path: String
        package let line: Int
        package let message: String
        package var description: String { "\(path):\(line): \(message)" }
    }

    package func colour(_ role: ThemeRole) -> ThemeColour {
        colours[role] ?? Theme.builtInDark.colours[role] ?? .terminalDefault
    }

    /// Parses `key = colour` lines; unknown keys and colours are errors naming the line.
    package static func parse(_ text: String, name: String, path: String) throws(ParseError) -> Theme {
        var colours: [ThemeRole: ThemeColour] = [:]
        for (index, rawLine) in text.splitLines().enumerated() {
            // A line starting with "#" is a comment; after a value, anything past the first word is ignored.
            let trimmed = rawLine.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let parts = trimmed.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else {
                throw ParseError(path: path, line: index + 1, message: "expected \"key = colour\"")
            }
            guard let role = ThemeRole(rawValue: parts[0]) else {
                throw ParseError(path: path, line: index + 1, message: "unknown key \"\(parts[0])\"; keys: \(ThemeRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let value = parts[1].split(separator: " ").first.map(String.init) ?? ""
            guard let colour = ThemeColour(parsing: value) else {
                throw ParseError(path: path, line: index + 1, message: "\"\(value)\" is not a colour (a name, #RRGGBB or 0-255)")
            }
            colours[role] = colour
        }
        return Theme(name: name, colours: colours)
    }

    /// The dark theme, built in so qwery works without its themes folder.
    package static let builtInDark: Theme = {
        let pairs: [(ThemeRole, ThemeColour)] = [
            (.background, .terminalDefault), (.foreground, .rgb(red: 0xd0, green: 0xd0, blue: 0xd0)),
            (.dim, .rgb(red: 0x80, green: 0x80, blue: 0x80)), (.accent, .rgb(red: 0x5f, green: 0xaf, blue: 0xff)),
            (.path, .rgb(red: 0x5f, green: 0xaf, blue: 0xff)), (.lineNumber, .rgb(red: 0x6c, green: 0x6c, blue: 0x6c)),
            (.match, .rgb(red: 0xff, green: 0xd7, blue: 0x5f)), (.selectionBackground, .rgb(red: 0x30, green: 0x3a, blue: 0x4a)),
            (.selectionForeground, .rgb(red: 0xff, green: 0xff, blue: 0xff)), (.scoreBar, .rgb(red: 0x5f, green: 0xaf, blue: 0x5f)),
            (.movedUp, .rgb(red: 0x5f, green: 0xd7, blue: 0x5f)), (.movedDown, .rgb(red: 0xff, green: 0x5f, blue: 0x5f)),
            (.statusBackground, .rgb(red: 0x26, green: 0x26, blue: 0x26)), (.statusForeground, .rgb(red: 0xbc, green: 0xbc, blue: 0xbc)),
            (.border, .rgb(red: 0x44, green: 0x44, blue: 0x44)), (.prompt, .rgb(red: 0xaf, green: 0x87, blue: 0xff)),
            (.error, .rgb(red: 0xff, green: 0x5f, blue: 0x5f)),
            (.syntaxKeyword, .rgb(red: 0xc6, green: 0x78, blue: 0xdd)), (.syntaxString, .rgb(red: 0x98, green: 0xc3, blue: 0x79)),
            (.syntaxComment, .rgb(red: 0x87, green: 0x87, blue: 0x87)), (.syntaxFunction, .rgb(red: 0x61, green: 0xaf, blue: 0xef)),
            (.syntaxType, .rgb(red: 0xe5, green: 0xc0, blue: 0x7b)), (.syntaxNumber, .rgb(red: 0xd1, green: 0x9a, blue: 0x66)),
            (.syntaxConstant, .rgb(red: 0xd1, green: 0x9a, blue: 0x66)), (.syntaxProperty, .rgb(red: 0x56, green: 0xb6, blue: 0xc2)),
        ]
        return Theme(name: "dark", colours: Dictionary(uniqueKeysWithValues: pairs))
    }()

    /// The folders themes are looked up in, in order: the user's (`$XDG_CONFIG_HOME/qwery/themes`), then
    /// beside the running binary wherever it was started from (`/proc/self/exe`, not `argv[0]`, which is a
    /// bare name through PATH): an install's `PREFIX/share/qwery/themes`, or the `themes/` of the checkout
    /// it was built in (the binary sits in `.build/<triple>/release/`), then ./themes.
    package static var folders: [String] {
        let environment = ProcessInfo.processInfo.environment
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.config")
        var folders = [configHome + "/qwery/themes"]
        var ancestor = URL(fileURLWithPath: ExecutablePath.current).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            folders.append(ancestor.appendingPathComponent("share/qwery/themes").path)
            folders.append(ancestor.appendingPathComponent("themes").path)
            ancestor = ancestor.deletingLastPathComponent()
        }
        folders.append(FileManager.default.currentDirectoryPath + "/themes")
        var seen = Set<String>()
        return folders.filter { seen.insert($0).inserted }
    }

    /// The names of every theme found (the first folder holding a name wins), sorted; `dark` always.
    package static var available: [String] {
        var names: Set<String> = ["dark"]
        for folder in folders {
            for file in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where file.hasSuffix(".theme") {
                names.insert(String(file.dropLast(".theme".count)))
            }
        }
        return names.sorted()
    }

    /// Finds `name` in `folders`.
    package static func load(named name: String) throws -> Theme {
        let folders = Self.folders
        for folder in folders {
            let path = folder + "/" + name + ".theme"
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                return try parse(text, name: name, path: path)
            }
        }
        if name == "dark" { return builtInDark }
        throw ParseError(path: name, line: 0, message: "no theme called \(name) in \(folders.joined(separator: ", "))")
    }
}
