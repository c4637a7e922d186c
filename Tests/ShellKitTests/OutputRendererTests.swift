import Foundation
import ShellKit
import Testing

@Suite struct OutputRendererTests {
    static let hostile = Table(
        columns: ["name", "count"],
        rows: [[.text("Q4, \"East\"\nline"), .integer(3)], [.text("Réactivation\tClients"), .empty]]
    )

    @Test func csvQuotesCommasQuotesAndLineBreaks() {
        let csv = OutputRenderer(format: .csv, color: false).render(.table(Self.hostile))
        #expect(csv == "name,count\r\n\"Q4, \"\"East\"\"\nline\",3\r\nRéactivation\tClients,\r\n")
    }

    @Test func jsonKeepsTypesAndEscapes() throws {
        let json = OutputRenderer(format: .json, color: false).render(.table(Self.hostile))
        let rows = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        #expect(rows?[0]["name"] as? String == "Q4, \"East\"\nline")
        #expect(rows?[0]["count"] as? Int == 3)
        #expect(rows?[1]["count"] is NSNull)
        #expect(OutputRenderer(format: .json, color: false).render(.table(Table(columns: ["a"], rows: []))) == "[]\n")
    }

    /// Text is scanned eight bytes at a time: a character to escape reads back the same wherever it falls
    /// in a word, and so does text with none.
    @Test func jsonEscapesEveryCharacterWhereverItFalls() throws {
        let renderer = OutputRenderer(format: .jsonl, color: false)
        for special in ["\"", "\\", "\n", "\u{01}", "\u{1F}", "é", ""] {
            for position in 0...17 {
                let text = String(repeating: "a", count: position) + special + String(repeating: "b", count: 9)
                let line = renderer.render(.table(Table(columns: ["v"], rows: [[.text(text)]])))
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
                #expect(object?["v"] == text, "\(special.debugDescription) at \(position)")
            }
        }
    }

    /// A name that clears the screen and sets the window title, or reads backwards: shown as escapes in
    /// human output, kept exactly in json.
    static let escapes = "\u{1B}]0;pwned\u{07}\u{1B}[2JEvil\u{202E}lanigiro\u{9B}31m\u{7F}"

    @Test func controlCharactersAreEscapedInHumanOutputAndKeptInJSON() throws {
        let table = Table(columns: ["name", "n"], rows: [[.text(Self.escapes), .integer(1)]])
        let shown = #"\x1b]0;pwned\x07\x1b[2JEvil\u202elanigiro\x9b31m\x7f"#
        for format in [OutputFormat.table, .plain] {
            let text = OutputRenderer(format: format, color: false).render(.table(table))
            #expect(text.contains(shown), "\(format): \(text.debugDescription)")
            #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E || $0.value == 0x9B })
        }
        let record = OutputRenderer(format: .table, color: false).render(.record([("name", .text(Self.escapes))]))
        #expect(record == "name  \(shown)\n")
        let text = OutputRenderer(format: .table, color: false).render(.text("line one\n\tEvil\u{1B}[2J"))
        #expect(text == "line one\n\tEvil\\x1b[2J\n")
        let line = OutputRenderer(format: .jsonl, color: false).render(.table(table))
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect(object?["name"] as? String == Self.escapes)
    }

    /// OWASP's advice: a cell a spreadsheet would run as a formula starts with `'`; numbers are left alone.
    @Test func csvNeutralisesFormulas() {
        let texts = ["=HYPERLINK(\"x\")", "+1+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "-5", "+1.5", "a=b"]
        let numbers: [[Cell]] = [[.integer(-5)], [.number(-1.5)]]
        let table = Table(columns: ["v"], rows: texts.map { [Cell.text($0)] } + numbers)
        let csv = OutputRenderer(format: .csv, color: false).render(.table(table))
        #expect(
            csv
                == "v\r\n\"'=HYPERLINK(\"\"x\"\")\"\r\n'+1+cmd\r\n'-2+3\r\n'@SUM(A1)\r\n'\tx\r\n\"'\rx\"\r\n-5\r\n+1.5\r\na=b\r\n-5\r\n-1.5\r\n",
            "\(csv.debugDescription)")
    }

    /// Wide characters take two columns: the table stays aligned, and a cut never splits one.
    @Test func wideCharactersAlign() {
        let table = Table(
            columns: ["name", "n"], rows: [[.text("東京キャンペーン"), .integer(1)], [.text("ab"), .integer(2)]])
        #expect(
            OutputRenderer(format: .table, color: false).render(.table(table))
                == "name              n\n東京キャンペーン  1\nab                2\n")
        let narrow = OutputRenderer(format: .table, color: false, width: 12).render(.table(table))
        #expect(narrow == "name       n\n東京キャ…  1\nab         2\n", "\(narrow)")  // 12 columns
        #expect(
            TerminalText.width(of: "é") == 1 && TerminalText.width(of: "e\u{301}") == 1
                && TerminalText.width(of: "👍") == 2)
    }

    @Test func plainIsOneLinePerRowWithTabs() {
        let plain = OutputRenderer(format: .plain, color: false).render(.table(Self.hostile))
        #expect(plain == "name\tcount\nQ4, \"East\" line\t3\nRéactivation Clients\t\n")
    }

    @Test func tablesAlignColumnsAndOnlyColorWhenAsked() {
        let table = Table(
            columns: ["name", "n"], rows: [[.text("Réactivation"), .integer(12)], [.text("ab"), .integer(1)]])
        #expect(
            OutputRenderer(format: .table, color: false).render(.table(table))
                == "name          n\nRéactivation  12\nab            1\n")
        #expect(OutputRenderer(format: .table, color: true).render(.table(table)).contains("\u{1B}[1m"))
    }

    @Test func machineFormatsUseKeysAndKeepEveryColumnTheTableShowsTitles() {
        let table = Table(
            columns: [Column("id", machineOnly: true), "name", Column("campaignStatus", title: "status")],
            rows: [[.text("c1"), .text("Q4"), .text("on")]]
        )
        #expect(OutputRenderer(format: .table, color: false).render(.table(table)) == "name  status\nQ4    on\n")
        #expect(
            OutputRenderer(format: .csv, color: false).render(.table(table)) == "id,name,campaignStatus\r\nc1,Q4,on\r\n"
        )
        #expect(
            OutputRenderer(format: .jsonl, color: false).render(.table(table))
                == #"{"id": "c1", "name": "Q4", "campaignStatus": "on"}"# + "\n")
    }

    @Test func recordsBecomeObjectsOrFieldValueLines() throws {
        let record = CommandResult.record([("status", .text("on")), ("version", .integer(3))])
        #expect(OutputRenderer(format: .json, color: false).render(record) == "{\"status\": \"on\", \"version\": 3}\n")
        #expect(OutputRenderer(format: .plain, color: false).render(record) == "field\tvalue\nstatus\ton\nversion\t3\n")
        #expect(OutputRenderer(format: .table, color: false).render(record) == "status   on\nversion  3\n")
    }
}

@Suite struct HistoryFileTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appending(path: "history-\(UUID())/history").path
    }

    @Test func linesAreAppendedAtOnceWithMode0600() throws {
        let path = Self.temporaryPath()
        let history = HistoryFile(path: path)
        #expect(history.append("campaigns"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "campaigns\n")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(HistoryFile(path: path).lines == ["campaigns"])
    }

    @Test func repeatsLeadingSpacesAndSecretsAreNotKept() throws {
        let path = Self.temporaryPath()
        let history = HistoryFile(path: path) { $0.contains("hunter2") }
        #expect(history.append("show"))
        #expect(!history.append("show"))
        #expect(!history.append(" use Q4"))
        #expect(!history.append("echo hunter2"))
        #expect(!history.append("set client_secret abc"))
        #expect(!history.append("login --token xyz"))
        #expect(history.append("use Q4"))
        #expect(history.append("show"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "show\nuse Q4\nshow\n")
    }
}
