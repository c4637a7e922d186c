import Foundation

/// What a command shows; the shell renders it in the session's output format.
public enum CommandResult: Sendable, Equatable {
    /// Rows under named columns: a table on a terminal, TSV in a pipe, CSV or a JSON array of objects.
    case table(Table)
    /// Named fields of one thing: `field  value` lines, or a JSON object.
    case record([(String, Cell)])
    /// Free text, printed as is in every format but JSON (where it is a JSON string).
    case text(String)
    /// A JSON document, printed as is with `--format json` and pretty-printed otherwise.
    case json(String)

    public static func == (lhs: CommandResult, rhs: CommandResult) -> Bool {
        switch (lhs, rhs) {
        case (.table(let a), .table(let b)): a == b
        case (.record(let a), .record(let b)): a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        case (.text(let a), .text(let b)): a == b
        case (.json(let a), .json(let b)): a == b
        default: false
        }
    }
}

/// A table: columns and rows of cells.
public struct Table: Sendable, Equatable {
    public var columns: [Column]
    public var rows: [[Cell]]

    public init(columns: [Column], rows: [[Cell]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// A column: its stable machine key (json and jsonl keys, csv and plain headers; the API's camelCase for
/// API data) and the title a person reads on a terminal.
public struct Column: Sendable, Equatable, ExpressibleByStringLiteral {
    public var key: String
    public var title: String
    /// Left out of the terminal table (long ids), kept in every machine format.
    public var machineOnly: Bool
    /// On a color terminal, the SGR code a cell of this text is shown in (e.g. `"32"`, green).
    public var colors: [String: String]

    public init(_ key: String, title: String? = nil, machineOnly: Bool = false, colors: [String: String] = [:]) {
        self.key = key
        self.title = title ?? key
        self.machineOnly = machineOnly
        self.colors = colors
    }

    public init(stringLiteral key: String) { self.init(key) }
}

/// One value of a table or record, typed so JSON keeps numbers as numbers.
public enum Cell: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case text(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case empty

    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }

    public init(_ value: String?) { self = value.map(Cell.text) ?? .empty }
    public init(_ value: Int?) { self = value.map(Cell.integer) ?? .empty }
    public init(_ value: Double?) { self = value.map(Cell.number) ?? .empty }
    public init(_ value: Bool?) { self = value.map(Cell.bool) ?? .empty }

    /// The value as a person reads it: a fraction to two decimals (`0.22`), the rest as ``text``.
    public var shownText: String {
        guard case .number(let value) = self, value != value.rounded(), abs(value) < 1e15 else { return text }
        var shown = String(format: "%.2f", value)
        while shown.hasSuffix("0") { shown.removeLast() }
        return shown.hasSuffix(".") ? String(shown.dropLast()) : shown
    }

    /// The value as plain text; empty for `.empty`.
    public var text: String {
        switch self {
        case .text(let value): value
        case .integer(let value): String(value)
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .bool(let value): value ? "true" : "false"
        case .empty: ""
        }
    }
}
