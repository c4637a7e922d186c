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
    public static let choices =
        allCases.dropLast().map(\.rawValue).joined(separator: ", ") + " or " + allCases.last!.rawValue
}

/// Turns results into text.
public struct OutputRenderer: Sendable {
    public var format: OutputFormat
    /// ANSI styling (tables on a color terminal only).
    public var color: Bool
    /// Tables without their header line (`--no-headers`).
    public var noHeaders = false
    /// The terminal's width, which an aligned table fits by cutting its widest text column (nil: no limit).
    public var width: Int?

    public init(format: OutputFormat, color: Bool, noHeaders: Bool = false, width: Int? = nil) {
        self.format = format
        self.color = color
        self.noHeaders = noHeaders
        self.width = width
    }

    public func render(_ result: CommandResult) -> String {
        switch (result, format) {
        case (.text(let text), .json), (.text(let text), .jsonl): return Self.jsonString(text) + "\n"
        case (.text(let text), .csv): return text.hasSuffix("\n") || text.isEmpty ? text : text + "\n"
        case (.text(let text), _):
            let shown = TerminalText.escaped(text, keepingLineBreaks: true)
            return shown.hasSuffix("\n") || shown.isEmpty ? shown : shown + "\n"
        case (.json(let json), _): return json.hasSuffix("\n") ? json : json + "\n"
        case (.record(let fields), .json), (.record(let fields), .jsonl):
            return "{" + fields.map { "\(Self.jsonString($0.0)): \(Self.json($0.1))" }.joined(separator: ", ") + "}\n"
        case (.record(let fields), .csv), (.record(let fields), .plain):
            return render(.table(Table(columns: ["field", "value"], rows: fields.map { [.text($0.0), $0.1] })))
        case (.record(let fields), .table):
            let width = fields.map { TerminalText.width(of: $0.0) }.max() ?? 0
            return fields.map { name, value in
                "\(styled(TerminalText.padded(name, to: width), "2"))  \(TerminalText.escaped(value.shownText))"
            }.joined(separator: "\n") + "\n"
        case (.table(let table), .table):
            return aligned(table)
        case (.table(let table), _):
            var stream = stream(table.columns.map(\.key))
            var bytes = noHeaders && format != .json ? [] : stream.header
            for row in table.rows { stream.append(row, to: &bytes) }
            return String(decoding: bytes + stream.footer, as: UTF8.self)
        }
    }

    // MARK: Row by row, for results too large to hold (aligned tables fall back to plain)

    /// An encoder for the rows of one stream with these columns.
    public func stream(_ columns: [String]) -> RowStream {
        RowStream(format: format, columns: columns)
    }

    /// Encodes a stream of rows: the header once, then each row appended to a byte buffer the caller writes
    /// out when it grows. Made for exports of millions of rows: values without special characters are
    /// copied whole, and JSON keys are encoded once.
    public struct RowStream: Sendable {
        let format: OutputFormat
        let columns: [String]
        private let jsonKeys: [[UInt8]]
        private var rows = 0

        init(format: OutputFormat, columns: [String]) {
            self.format = format
            self.columns = columns
            jsonKeys = columns.enumerated().map { index, column in
                var key = Array((index == 0 ? "{" : ", ").utf8)
                OutputRenderer.appendJSONString(column, to: &key)
                return key + Array(": ".utf8)
            }
        }

        public var header: [UInt8] {
            var bytes: [UInt8] = []
            switch format {
            case .json: bytes = Array("[".utf8)
            case .jsonl: break
            case .csv, .plain, .table:
                var header = RowStream(format: format, columns: columns)
                header.append(columns.map(Cell.text), to: &bytes)
            }
            return bytes
        }

        public mutating func append(_ cells: [Cell], to output: inout [UInt8]) {
            appendRow(count: cells.count, to: &output) { index, output in
                switch cells[index] {
                case .text(let text): OutputRenderer.withBytes(of: text) { appendValue(.utf8($0), to: &output) }
                case .integer(let value): appendValue(.integer(Int64(value)), to: &output)
                case .empty: appendValue(.empty, to: &output)
                case .number, .bool:
                    if format == .json || format == .jsonl {
                        OutputRenderer.appendJSON(cells[index], to: &output)
                    } else {
                        OutputRenderer.withBytes(of: cells[index].text) { appendValue(.utf8($0), to: &output) }
                    }
                }
            }
            rows += 1
        }

        /// Appends a row of `count` cells read in place: no `Cell` and no `String` per value, for exports of
        /// millions of rows read straight from their store. `cell(index, write)` hands column `index`'s value
        /// to `write` while its bytes are alive.
        public mutating func append(
            count: Int, to output: inout [UInt8], borrowing cell: (Int, (BorrowedCell) -> Void) -> Void
        ) {
            appendRow(count: count, to: &output) { index, output in
                cell(index) { appendValue($0, to: &output) }
            }
            rows += 1
        }

        public var footer: [UInt8] {
            Array((format == .json ? (rows == 0 ? "]\n" : "\n]\n") : "").utf8)
        }

        /// The row's framing in the stream's format, `appendCell` writing each value in between.
        private func appendRow(
            count: Int, to output: inout [UInt8], _ appendCell: (Int, inout [UInt8]) -> Void
        ) {
            switch format {
            case .json, .jsonl:
                if format == .json { output.append(contentsOf: (rows == 0 ? "\n  " : ",\n  ").utf8) }
                for (index, key) in jsonKeys.prefix(count).enumerated() {
                    output.append(contentsOf: key)
                    appendCell(index, &output)
                }
                output.append(contentsOf: (count == 0 ? "{}" : "}").utf8)
                if format == .jsonl { output.append(UInt8(ascii: "\n")) }
            case .csv, .plain, .table:
                for index in 0..<count {
                    if index > 0 { output.append(format == .csv ? UInt8(ascii: ",") : UInt8(ascii: "\t")) }
                    appendCell(index, &output)
                }
                output.append(contentsOf: (format == .csv ? "\r\n" : "\n").utf8)
            }
        }

        /// One value in the stream's format.
        private func appendValue(_ cell: BorrowedCell, to output: inout [UInt8]) {
            switch (cell, format) {
            case (.empty, .json), (.empty, .jsonl): output.append(contentsOf: "null".utf8)
            case (.empty, _): break
            case (.integer(let value), _): OutputRenderer.appendDecimal(value, to: &output)
            case (.utf8(let bytes), .json), (.utf8(let bytes), .jsonl):
                OutputRenderer.appendJSONString(bytes, to: &output)
            case (.utf8(let bytes), .csv): OutputRenderer.appendCSVField(bytes, to: &output)
            case (.utf8(let bytes), _): OutputRenderer.appendPlainField(bytes, to: &output)
            }
        }
    }

    /// A value of a streamed row, read in place from where it is stored: its bytes are valid only while it
    /// is written.
    public enum BorrowedCell {
        case empty
        case integer(Int64)
        /// UTF-8 text.
        case utf8(UnsafeBufferPointer<UInt8>)
    }

    private func aligned(_ table: Table) -> String {
        let shown = table.columns.indices.filter { !table.columns[$0].machineOnly }
        // Cells as shown (escaped), with the columns each takes on the terminal.
        var texts = table.rows.map { row in
            shown.compactMap { $0 < row.count ? TerminalText.escaped(row[$0].shownText) : nil }
        }
        var textWidths = texts.map { $0.map(TerminalText.width(of:)) }
        let titles = shown.map { table.columns[$0].title }
        var widths = titles.map(TerminalText.width(of:))
        for row in textWidths {
            for (index, cellWidth) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cellWidth)
            }
        }
        // Too wide for the terminal: the widest column gives up what is missing, its cells cut with "…".
        if let width, !widths.isEmpty {
            let total = widths.reduce(0, +) + 2 * (widths.count - 1)
            if total > width, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }) {
                let fitted = max(TerminalText.width(of: titles[widest]), widths[widest] - (total - width), 4)
                widths[widest] = fitted
                for row in texts.indices where widest < texts[row].count && textWidths[row][widest] > fitted {
                    texts[row][widest] = TerminalText.prefix(texts[row][widest], columns: fitted - 1) + "…"
                    textWidths[row][widest] = TerminalText.width(of: texts[row][widest])
                }
            }
        }
        func line(_ cells: [String], colored: Bool = true) -> String {
            var line = zip(cells, widths).enumerated().map { index, pair in
                let padding = String(repeating: " ", count: max(0, pair.1 - TerminalText.width(of: pair.0)))
                guard colored, color, let code = table.columns[shown[index]].colors[pair.0] else {
                    return pair.0 + padding
                }
                // Styled before the padding, so the escape codes take no room in the alignment.
                return styled(pair.0, code) + padding
            }.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }  // empty cells at the end leave no blanks
            return line
        }
        var output = noHeaders ? "" : styled(line(titles, colored: false), "1") + "\n"
        for row in texts { output += line(row) + "\n" }
        if texts.isEmpty { output += styled("(no rows)", "2") + "\n" }
        return output
    }

    private func styled(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// RFC 4180: quoted only when it holds a comma, a quote, CR or LF; quotes inside are doubled. A text that
    /// a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a `'` first,
    /// as OWASP advises; a number (`-5`, `+1.5`) is left as it is.
    static func appendCSVField(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        if let first = bytes.first,
            [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D].contains(first),
            Double(String(decoding: bytes, as: UTF8.self)) == nil
        {
            let neutralised = [UInt8(ascii: "'")] + bytes
            return neutralised.withUnsafeBufferPointer { appendCSVField($0, to: &output) }
        }
        guard
            bytes.contains(where: {
                $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D
            })
        else {
            return output.append(contentsOf: bytes)
        }
        output.append(UInt8(ascii: "\""))
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { output.append(byte) }
            output.append(byte)
        }
        output.append(UInt8(ascii: "\""))
    }

    /// TSV cannot quote: tabs and line breaks inside a value become spaces, other control characters
    /// escapes (``TerminalText``).
    static func appendPlainField(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        // The bytes any unsafe character starts with: C0, DEL, and the lead bytes of C1 (C2) and of the
        // bidi controls (D8, E2).
        guard bytes.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 }) else {
            return output.append(contentsOf: bytes)
        }
        var spaced: [UInt8] = []
        for byte in bytes { spaced.append(byte == 0x09 || byte == 0x0A || byte == 0x0D ? UInt8(ascii: " ") : byte) }
        output.append(contentsOf: TerminalText.escaped(String(decoding: spaced, as: UTF8.self)).utf8)
    }

    /// `value` in decimal, without a `String`.
    static func appendDecimal(_ value: Int64, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var divisor: UInt64 = 1
        while divisor <= magnitude / 10 { divisor *= 10 }
        repeat {
            output.append(UInt8(ascii: "0") + UInt8(magnitude / divisor))
            magnitude %= divisor
            divisor /= 10
        } while divisor > 0
    }

    static func json(_ cell: Cell) -> String {
        var bytes: [UInt8] = []
        appendJSON(cell, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func appendJSON(_ cell: Cell, to output: inout [UInt8]) {
        switch cell {
        case .text(let value): appendJSONString(value, to: &output)
        case .integer(let value): output.append(contentsOf: String(value).utf8)
        case .number(let value): output.append(contentsOf: (value.isFinite ? "\(value)" : "null").utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .empty: output.append(contentsOf: "null".utf8)
        }
    }

    static func jsonString(_ text: String) -> String {
        var bytes: [UInt8] = []
        appendJSONString(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func appendJSONString(_ text: String, to output: inout [UInt8]) {
        withBytes(of: text) { appendJSONString($0, to: &output) }
    }

    /// UTF-8 text as a JSON string: runs without a quote, backslash or control character are copied whole.
    static func appendJSONString(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        while index < bytes.count {
            // Eight bytes at a time while none of them needs escaping: most text has nothing to escape.
            if index + 8 <= bytes.count,
                !Self.mayNeedEscaping(
                    UnsafeRawPointer(bytes.baseAddress!).loadUnaligned(fromByteOffset: index, as: UInt64.self))
            {
                index += 8
                continue
            }
            let byte = bytes[index]
            index += 1
            guard byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 else { continue }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index - 1]))
            runStart = index
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), byte])
            case 0x0A: output.append(contentsOf: "\\n".utf8)
            case 0x0D: output.append(contentsOf: "\\r".utf8)
            case 0x09: output.append(contentsOf: "\\t".utf8)
            default:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: "\\u00".utf8)
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            }
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        output.append(UInt8(ascii: "\""))
    }

    /// Whether one of the eight bytes of `word` may be a quote, a backslash or a control character (never
    /// false when one is; the caller looks at each byte when it is true).
    private static func mayNeedEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
        // A byte below 0x20: subtracting 0x20 from it borrows into its high bit.
        let control = (word &- ones &* 0x20) & ~word & highs != 0
        return control || hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "\""))))
            || hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "\\"))))
    }

    /// The string's UTF-8 bytes without copying them (a native string is contiguous already).
    static func withBytes<Result>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var text = text
        return text.withUTF8(body)
    }
}
