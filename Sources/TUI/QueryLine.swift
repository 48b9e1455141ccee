/// An editable line of text with a cursor, with readline's editing commands.
package struct QueryLine: Sendable, Equatable {
    package private(set) var characters: [Character] = []
    /// Insertion point, 0...characters.count.
    package private(set) var cursor = 0

    package init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    package var text: String { String(characters) }

    package mutating func insert(_ text: String) {
        let inserted = Array(text.filter { !$0.isNewline })
        characters.insert(contentsOf: inserted, at: cursor)
        cursor += inserted.count
    }

    package mutating func deleteBackward() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
    }

    package mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    package mutating func moveLeft() { cursor = max(0, cursor - 1) }
    package mutating func moveRight() { cursor = min(characters.count, cursor + 1) }
    package mutating func moveHome() { cursor = 0 }
    package mutating func moveEnd() { cursor = characters.count }

    /// Ctrl-U: delete everything before the cursor.
    package mutating func killToStart() {
        characters.removeSubrange(0..<cursor)
        cursor = 0
    }

    /// Ctrl-K: delete everything after the cursor.
    package mutating func killToEnd() {
        characters.removeSubrange(cursor...)
    }

    /// Ctrl-W: delete the word before the cursor (and the spaces after it).
    package mutating func killWordBackward() {
        var start = cursor
        while start > 0 && characters[start - 1].isWhitespace { start -= 1 }
        while start > 0 && !characters[start - 1].isWhitespace { start -= 1 }
        characters.removeSubrange(start..<cursor)
        cursor = start
    }

    /// Alt-B / Alt-F: move by words.
    package mutating func moveWordLeft() {
        while cursor > 0 && characters[cursor - 1].isWhitespace { cursor -= 1 }
        while cursor > 0 && !characters[cursor - 1].isWhitespace { cursor -= 1 }
    }

    package mutating func moveWordRight() {
        while cursor < characters.count && characters[cursor].isWhitespace { cursor += 1 }
        while cursor < characters.count && !characters[cursor].isWhitespace { cursor += 1 }
    }
}
