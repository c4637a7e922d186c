import Testing

@testable import ShellKit

/// `--columns`, `--sort`, `--no-headers`, `--wide` and what a person reads in a table.
struct TableShapeTests {
    let table = Table(
        columns: [Column("id", machineOnly: true), "name", Column("percentage", title: "progress %"), "rate"],
        rows: [
            ["b", "Beta", 40, .number(0.2222222222222222)], ["a", "alpha", 5, .empty],
            ["c", "Gamma", .empty, .number(3)],
        ])

    func shape(_ words: String) throws -> (TableShape, [String]) {
        var words = words.split(separator: " ").map(String.init)
        let shape = try TableShape.take(from: &words)
        return (shape, words)
    }

    @Test func theOptionsAreTakenFromAnyCommandsWords() throws {
        let (shape, rest) = try shape("campaigns --columns name,percentage --sort=-percentage --no-headers x -- --wide")
        #expect(rest == ["campaigns", "x", "--", "--wide"])
        #expect(shape.columns == ["name", "percentage"] && shape.sort == "percentage" && shape.descending)
        #expect(shape.noHeaders && !shape.wide)
        #expect(throws: ShellError.usage("--sort needs a value")) { try self.shape("campaigns --sort") }
    }

    @Test func columnsAreChosenByKeyAndRowsSortedNumbersByValueEmptyLast() throws {
        let (byProgress, _) = try shape("--columns percentage,id --sort percentage")
        let sorted = try byProgress.apply(to: table)
        #expect(sorted.columns.map(\.key) == ["percentage", "id"])
        #expect(sorted.columns.allSatisfy { !$0.machineOnly })
        #expect(sorted.rows == [[5, "a"], [40, "b"], [.empty, "c"]])
        let (byName, _) = try shape("--sort -name")
        #expect(try byName.apply(to: table).rows.map { $0[1] } == ["Gamma", "Beta", "alpha"])
        let (unknown, _) = try shape("--columns name,bogus")
        #expect(throws: ShellError.usage("no column 'bogus'; the columns are id, name, percentage, rate")) {
            try unknown.apply(to: table)
        }
    }

    /// A column may color its values on a color terminal; the escapes take no room in the alignment.
    @Test func coloredCellsKeepTheColumnsAligned() {
        let outcomes = Table(
            columns: ["campaign", Column("outcome", colors: ["success": "32", "error": "31"]), "attempts"],
            rows: [["Q4_Promo_East", "success", 1], ["Q4", "error", 2], ["Q5", "noop", 0]])
        let shown = OutputRenderer(format: .table, color: true).render(.table(outcomes))
        #expect(
            shown == "\u{1B}[1mcampaign       outcome  attempts\u{1B}[0m\n"
                + "Q4_Promo_East  \u{1B}[32msuccess\u{1B}[0m  1\n"
                + "Q4             \u{1B}[31merror\u{1B}[0m    2\n"
                + "Q5             noop     0\n")
        #expect(!OutputRenderer(format: .table, color: false).render(.table(outcomes)).contains("\u{1B}"))
    }

    @Test func aTableRoundsFractionsFitsTheTerminalAndEndsNoLineInSpaces() {
        let wide = OutputRenderer(format: .table, color: false).render(.table(table))
        #expect(wide == "name   progress %  rate\nBeta   40          0.22\nalpha  5\nGamma              3\n")
        let narrow = OutputRenderer(format: .table, color: false, width: 20).render(
            .table(Table(columns: ["name", "queue"], rows: [["Réactivation_Clients_2026", "Sales"]])))
        #expect(narrow == "name           queue\nRéactivation…  Sales\n")
        #expect(narrow.split(separator: "\n").allSatisfy { !$0.hasSuffix(" ") })
        let headless = OutputRenderer(format: .csv, color: false, noHeaders: true).render(.table(table))
        #expect(headless == "b,Beta,40,0.2222222222222222\r\na,alpha,5,\r\nc,Gamma,,3\r\n")
    }
}
