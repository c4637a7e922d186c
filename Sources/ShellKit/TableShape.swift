import Foundation

/// `--columns a,b,c`, `--sort COLUMN` (`-COLUMN` descending), `--no-headers` and `--wide`: how every
/// listing is cut to what a person asked for, whatever the command. Columns are named by their machine keys
/// (the keys of `--format json`).
public struct TableShape: Sendable, Equatable {
    public var columns: [String]?
    public var sort: String?
    public var descending = false
    public var noHeaders = false
    /// On a terminal, show every column whole rather than fit the width.
    public var wide = false

    public init() {}

    /// Removes the shape's options from a command's words (before a `--`), as `--format` is.
    static func take(from words: inout [String]) throws(ShellError) -> TableShape {
        var shape = TableShape()
        var index = 0
        while index < words.count, words[index] != "--" {
            let word = words[index]
            let (name, attached) =
                word.firstIndex(of: "=").map { (String(word[..<$0]), String(word[$0...].dropFirst())) } ?? (word, nil)
            switch name {
            case "--no-headers", "--wide":
                guard attached == nil else { throw .usage("\(name) takes no value") }
                if name == "--wide" { shape.wide = true } else { shape.noHeaders = true }
                words.remove(at: index)
            case "--columns", "--sort":
                let value: String
                if let attached {
                    value = attached
                    words.remove(at: index)
                } else {
                    guard index + 1 < words.count else { throw .usage("\(name) needs a value") }
                    value = words[index + 1]
                    words.removeSubrange(index...index + 1)
                }
                if name == "--sort" {
                    shape.descending = value.hasPrefix("-")
                    shape.sort = String(value.drop { $0 == "-" })
                } else {
                    shape.columns = value.split(separator: ",").map { String($0).trimmed }
                }
            default:
                index += 1
            }
        }
        return shape
    }

    /// `table` with only the chosen columns, in the chosen order, sorted; a key it does not have is an error
    /// that lists those it has.
    func apply(to table: Table) throws(ShellError) -> Table {
        let keys = table.columns.map(\.key)
        func position(_ key: String) throws(ShellError) -> Int {
            guard let index = keys.firstIndex(of: key) else {
                throw .usage("no column '\(key)'; the columns are \(keys.joined(separator: ", "))")
            }
            return index
        }
        var rows = table.rows
        if let sort {
            let column = try position(sort)
            rows.sort { a, b in
                let (x, y) = (column < a.count ? a[column] : .empty, column < b.count ? b[column] : .empty)
                return descending ? Self.precedes(y, x) : Self.precedes(x, y)
            }
        }
        guard let columns else { return Table(columns: table.columns, rows: rows) }
        var chosen: [Int] = []
        for key in columns { chosen.append(try position(key)) }
        return Table(
            columns: chosen.map { column in
                var shown = table.columns[column]
                shown.machineOnly = false  // asked for by name: shown on a terminal too
                return shown
            },
            rows: rows.map { row in chosen.map { $0 < row.count ? row[$0] : .empty } })
    }

    /// Numbers by value, text by its letters whatever the case; empty cells last.
    private static func precedes(_ a: Cell, _ b: Cell) -> Bool {
        switch (a, b) {
        case (.empty, _): return false
        case (_, .empty): return true
        default: break
        }
        if let x = a.numericValue, let y = b.numericValue { return x < y }
        return a.text.localizedStandardCompare(b.text) == .orderedAscending
    }
}

extension Cell {
    var numericValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespaces) }
}
