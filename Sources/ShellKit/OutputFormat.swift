import Foundation

/// How results are written.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// Aligned columns, for a terminal.
    case table
    /// Tab-separated values with a header line, for pipes and files.
    case plain
    /// JSON, valid for `jq`.
    case json
    /// CSV per RFC 4180 (CRLF line ends, quotes doubled).
    case csv
    /// One JSON object per line.
    case jsonl

    /// "table, plain, json, csv or jsonl", for messages.
    public static let choices = allCases.dropLast().map(\.rawValue).joined(separator: ", ") + " or " + allCases.last!.rawValue
}

/// Turns results into text.
public struct OutputRenderer: Sendable {
    public var format: OutputFormat
    /// ANSI styling (tables on a color terminal only).
    public var color: Bool

    public init(format: OutputFormat, color: Bool) {
        self.format = format
        self.color = color
    }

    public func render(_ result: CommandResult) -> String {
        switch (result, format) {
        case (.text(let text), .json), (.text(let text), .jsonl): return Self.jsonString(text) + "\n"
        case (.text(let text), _): return text.hasSuffix("\n") || text.isEmpty ? text : text + "\n"
        case (.json(let json), _): return json.hasSuffix("\n") ? json : json + "\n"
        case (.record(let fields), .json), (.record(let fields), .jsonl):
            return "{" + fields.map { "\(Self.jsonString($0.0)): \(Self.json($0.1))" }.joined(separator: ", ") + "}\n"
        case (.record(let fields), .csv), (.record(let fields), .plain):
            return render(.table(Table(columns: ["field", "value"], rows: fields.map { [.text($0.0), $0.1] })))
        case (.record(let fields), .table):
            let width = fields.map(\.0.count).max() ?? 0
            return fields.map { name, value in
                let label = name.padding(toLength: width, withPad: " ", startingAt: 0)
                return "\(styled(label, "2"))  \(value.text)"
            }.joined(separator: "\n") + "\n"
        case (.table(let table), .table):
            return aligned(table)
        case (.table(let table), _):
            var text = streamHeader(table.columns)
            for (index, row) in table.rows.enumerated() { text += streamRow(table.columns, row, index: index) }
            return text + streamFooter(rows: table.rows.count)
        }
    }

    // MARK: Row by row, for results too large to hold (aligned tables fall back to plain)

    public func streamHeader(_ columns: [String]) -> String {
        switch format {
        case .json: "["
        case .jsonl: ""
        case .csv: columns.map(Self.csvField).joined(separator: ",") + "\r\n"
        case .plain, .table: columns.map(Self.plainField).joined(separator: "\t") + "\n"
        }
    }

    /// - Parameter index: 0 for the first row.
    public func streamRow(_ columns: [String], _ cells: [Cell], index: Int) -> String {
        switch format {
        case .json: (index == 0 ? "\n  " : ",\n  ") + jsonObject(columns, cells)
        case .jsonl: jsonObject(columns, cells) + "\n"
        case .csv: cells.map { Self.csvField($0.text) }.joined(separator: ",") + "\r\n"
        case .plain, .table: cells.map { Self.plainField($0.text) }.joined(separator: "\t") + "\n"
        }
    }

    public func streamFooter(rows: Int) -> String {
        format == .json ? (rows == 0 ? "]\n" : "\n]\n") : ""
    }

    private func jsonObject(_ columns: [String], _ cells: [Cell]) -> String {
        "{" + zip(columns, cells).map { "\(Self.jsonString($0)): \(Self.json($1))" }.joined(separator: ", ") + "}"
    }

    private func aligned(_ table: Table) -> String {
        let texts = table.rows.map { $0.map(\.text) }
        var widths = table.columns.map(\.count)
        for row in texts {
            for (index, text) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], text.count) }
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).enumerated().map { index, pair in
                index == cells.count - 1 ? pair.0 : pair.0.padding(toLength: pair.1, withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        var output = styled(line(table.columns), "1") + "\n"
        for row in texts { output += line(row) + "\n" }
        if texts.isEmpty { output += styled("(no rows)", "2") + "\n" }
        return output
    }

    private func styled(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// RFC 4180: quote a field holding a comma, quote, CR or LF; double the quotes inside.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// TSV cannot quote: tabs and line breaks inside a value become spaces.
    static func plainField(_ text: String) -> String {
        guard text.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" }) else { return text }
        return String(text.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 })
    }

    static func json(_ cell: Cell) -> String {
        switch cell {
        case .text(let value): jsonString(value)
        case .integer(let value): String(value)
        case .number(let value): value.isFinite ? "\(value)" : "null"
        case .bool(let value): value ? "true" : "false"
        case .empty: "null"
        }
    }

    static func jsonString(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                output += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}
