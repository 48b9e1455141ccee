/// Where each part of the screen goes: preview beside the list on wide terminals, below it on narrow ones.
package struct Layout: Sendable, Equatable {
    /// A rectangle of cells.
    package struct Region: Sendable, Equatable {
        package var row: Int
        package var column: Int
        package var height: Int
        package var width: Int
    }

    package let query: Region
    package let list: Region
    package let preview: Region
    package let status: Region
    package let sideBySide: Bool

    /// Columns from which the preview goes beside the list.
    package static let sideBySideColumns = 110

    package init(rows: Int, columns: Int) {
        let rows = max(rows, 4)
        let columns = max(columns, 20)
        query = Region(row: 0, column: 0, height: 1, width: columns)
        status = Region(row: rows - 1, column: 0, height: 1, width: columns)
        let bodyTop = 2
        let bodyHeight = max(1, rows - 3)
        sideBySide = columns >= Self.sideBySideColumns
        if sideBySide {
            let listWidth = max(40, columns * 9 / 20)
            list = Region(row: bodyTop, column: 0, height: bodyHeight, width: listWidth)
            preview = Region(row: bodyTop, column: listWidth + 1, height: bodyHeight, width: columns - listWidth - 1)
        } else {
            let listHeight = max(1, bodyHeight / 2)
            list = Region(row: bodyTop, column: 0, height: listHeight, width: columns)
            preview = Region(row: bodyTop + listHeight + 1, column: 0, height: max(0, bodyHeight - listHeight - 1), width: columns)
        }
    }
}
