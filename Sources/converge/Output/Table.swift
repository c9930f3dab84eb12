/// Left-aligned columns separated by two spaces; cells may carry styling (its escape codes do not count
/// toward the width).
struct Table {
    var header: [String]
    var rows: [[Cell]] = []

    struct Cell {
        var text: String
        var styled: String

        init(_ text: String, styled: String? = nil) {
            self.text = text
            self.styled = styled ?? text
        }
    }

    func rendered(style: Style) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.text.count)
            }
        }
        func line(_ cells: [Cell]) -> String {
            var out = ""
            for (index, cell) in cells.enumerated() {
                let last = index == cells.count - 1
                out += cell.styled
                if !last { out += String(repeating: " ", count: widths[index] - cell.text.count + 2) }
            }
            return out + "\n"
        }
        var out = line(header.map { Cell($0, styled: style.bold($0)) })
        for row in rows { out += line(row) }
        return out
    }
}
