import ArgumentParser
import AuditStore
import CampaignControl
import Foundation
import ShellKit
import Synchronization

/// audit, audit export, audit verify: reading and checking the audit trail.
public enum AuditPlugin: ShellPlugin {
    public static let name = "Audit"
    public static let commands: [any ShellCommand.Type] = [Audit.self]

    public static func completions(words: [String], partial: String, components: ShellComponents) -> [String] {
        guard words.first == "audit" else { return [] }
        switch words.last {
        case "--verb": return Audit.Filters.verbs
        case "--outcome": return Audit.Filters.outcomes
        default: return []
        }
    }
}

struct Audit: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Show recent audit rows; export them; verify the hash chain.",
        discussion: "Example: audit --since 1h --verb pause; audit export --format jsonl > audit.jsonl; audit verify",
        subcommands: [Recent.self, Export.self, Verify.self], defaultSubcommand: Recent.self)

    /// Filters shared by `audit` and `audit export`.
    struct Filters: ParsableArguments {
        @Option(help: "Rows at or after: \(TimeArgument.forms).") var since: String?
        @Option(help: "Rows before: ISO-8601 or an age.") var until: String?
        @Option(help: "Rows about this campaign (id or name).") var campaign: String?
        @Option(help: "Rows of this verb: \(Filters.verbs.joined(separator: ", ")).") var verb: String?
        @Option(help: "Rows with this outcome: \(Filters.outcomes.joined(separator: ", ")).")
        var outcome: String?

        /// The verbs rows are written with: the operator's, and the webhook's deliveries.
        static let verbs = Verb.allCases.map(\.rawValue) + [WebhookNotifier.auditVerb]
        static let outcomes = AuditOutcome.allCases.map(\.rawValue)

        func validate() throws {
            for (name, value) in [("--since", since), ("--until", until)] {
                if let value, TimeArgument(argument: value) == nil {
                    throw ValidationError("\(name) takes \(TimeArgument.forms), not '\(value)'")
                }
            }
            if let verb, !Self.verbs.contains(verb) {
                throw ValidationError("unknown verb '\(verb)'; use \(Self.verbs.joined(separator: ", "))")
            }
            if let outcome, !Self.outcomes.contains(outcome) {
                throw ValidationError("unknown outcome '\(outcome)'; use \(Self.outcomes.joined(separator: ", "))")
            }
        }

        var filter: AuditFilter {
            AuditFilter(
                since: since.flatMap(TimeArgument.init(argument:))?.date,
                until: until.flatMap(TimeArgument.init(argument:))?.date, campaign: campaign, verb: verb,
                outcome: outcome.flatMap(AuditOutcome.init(rawValue:))
            )
        }
    }

    struct Recent: ShellCommand {
        static let configuration = CommandConfiguration(
            commandName: "recent", abstract: "Show the most recent rows.",
            discussion: "Example: audit --since 2026-11-29 --campaign Q4_Renewals --limit 20")
        @OptionGroup var filters: Filters
        @Option(help: "How many rows.") var limit = 50
        @Flag(help: "Dry runs' rows too (outcome dry_run).") var all = false

        func validate() throws {
            if limit < 1 { throw ValidationError("--limit takes a count of at least 1") }
        }

        func run(in context: CommandContext) async throws {
            let log = try context.components.require(AuditLog.self)
            context.note("audit file: \(log.path)")
            var filter = filters.filter
            filter.hidesDryRuns = !all
            let records = try log.store().recent(filter, limit: limit)
            let columns: [Column] = [
                "seq", "time", "actor", "campaign", "verb", Column("fromStatus", title: "from"),
                Column("toStatus", title: "to"),
                Column("outcome", colors: AuditOutcome.terminalColors), "attempt", Column("httpStatus", title: "http"),
                "error",
            ]
            context.emit(
                .table(
                    Table(
                        columns: columns,
                        rows: records.map { record in
                            let entry = record.entry
                            return [
                                .integer(Int(record.seq)), .text(AuditExport.timestamp(entry.time)),
                                .text(
                                    [entry.actor.profile, entry.actor.osUser].compactMap { $0 }.joined(separator: "/")),
                                Cell(entry.campaignName ?? entry.campaignID), .text(entry.verb), Cell(entry.fromStatus),
                                Cell(entry.toStatus), .text(entry.outcome.rawValue), .integer(entry.attempt),
                                Cell(entry.httpStatus),
                                Cell(entry.errorMessage),
                            ]
                        })))
        }
    }

    struct Export: ShellCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Stream every matching row, all fields (e.g. --format jsonl > audit.jsonl, or | gzip).",
            discussion: "Example: audit export --since 7d --format csv | gzip > audit.csv.gz")
        @OptionGroup var filters: Filters

        /// Streams on a thread of its own, straight from SQLite's bytes to the output's: SQLite blocks while
        /// it reads, which a task must not do for millions of rows. Ctrl-C stops it between two rows.
        func run(in context: CommandContext) async throws {
            let store = try context.components.require(AuditLog.self).store()
            let (stream, filter, output) = (context.renderer.stream(AuditExport.header), filters.filter, context.output)
            let stop = StopRequest()
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    Thread {
                        continuation.resume(
                            with: Result { try AuditExport.write(store, filter, stream, to: output, until: stop) })
                    }.start()
                }
            } onCancel: {
                stop.request()
            }
        }
    }

    struct Verify: ShellCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "Walk the hash chain; name the first broken row (exit status 1).",
            discussion: "Example: audit verify --anchor SEQ:HASH (as an earlier verify printed the head)")
        @Option(
            help: ArgumentHelp(
                "A head printed by an earlier verify (or a webhook event's auditAnchor) that must still be in the chain.",
                valueName: "SEQ:HASH"))
        var anchor: String?

        func run(in context: CommandContext) async throws {
            let log = try context.components.require(AuditLog.self)
            let anchor = try self.anchor.map {
                guard let anchor = AuditAnchor($0) else {
                    throw ShellError.usage("--anchor takes SEQ:HASH, as verify prints it")
                }
                return anchor
            }
            switch try log.store().verify(anchor: anchor) {
            case .intact(let rows, let head):
                context.emit(
                    .text("audit chain intact: \(rows) rows in \(log.path)" + (head.map { "; head \($0)" } ?? "")))
            case .broken(let seq, let reason):
                throw ShellError.failure("audit chain broken at row \(seq): \(reason)")
            }
        }
    }
}

/// Rows as `audit export` writes them: every column of the audit table, in its order.
enum AuditExport {
    static let header = AuditTable.columns.map(\.exportName)

    /// Writes every row `filter` selects to `output`, 64 KiB at a time.
    static func write(
        _ store: AuditStore, _ filter: AuditFilter, _ stream: OutputRenderer.RowStream, to output: OutputDestination,
        until stop: StopRequest
    ) throws {
        var stream = stream
        var buffer = stream.header
        buffer.reserveCapacity(1 << 17)
        var time: [UInt8] = []
        let count = AuditTable.columns.count
        try store.forEachStoredRow(filter) { row in
            if stop.isRequested { throw CancellationError() }
            stream.append(count: count, to: &buffer) { index, write in
                switch row.value(index) {
                case .null: write(.empty)
                case .integer(let value): write(.integer(value))
                case .text(let bytes): write(.utf8(bytes))
                case .time(let milliseconds):
                    time.removeAll(keepingCapacity: true)
                    appendTimestamp(milliseconds: milliseconds, to: &time)
                    time.withUnsafeBufferPointer { write(.utf8($0)) }
                }
            }
            if buffer.count >= 1 << 16 {
                output.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        output.write(buffer + stream.footer)
    }

    static func timestamp(_ date: Date) -> String {
        timestamp(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }

    /// UTC with milliseconds: `2026-11-29T08:00:00.123Z`.
    static func timestamp(milliseconds: Int64) -> String {
        var text: [UInt8] = []
        appendTimestamp(milliseconds: milliseconds, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Written by hand from the stored milliseconds: Foundation's formatter cost more than the rest of an
    /// exported row.
    static func appendTimestamp(milliseconds: Int64, to text: inout [UInt8]) {
        let (days, inDay) = (milliseconds.floorDivided(by: 86_400_000), milliseconds.floorModulo(86_400_000))
        // Days since 1970-01-01 to a civil date (proleptic Gregorian), after Howard Hinnant's algorithm.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        guard (0...9999).contains(year) else {
            let formatted = Date(timeIntervalSince1970: Double(milliseconds) / 1000).formatted(
                Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            return text.append(contentsOf: formatted.utf8)
        }
        func digits(_ value: Int64, _ count: Int, then separator: Character) {
            var divisor: Int64 = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                text.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
            text.append(UInt8(ascii: separator.unicodeScalars.first!))
        }
        digits(year, 4, then: "-")
        digits(month, 2, then: "-")
        digits(day, 2, then: "T")
        digits(inDay / 3_600_000, 2, then: ":")
        digits(inDay / 60_000 % 60, 2, then: ":")
        digits(inDay / 1000 % 60, 2, then: ".")
        digits(inDay % 1000, 3, then: "Z")
    }
}

/// Ctrl-C during a job running on a thread of its own: asked for from the task, read between rows.
final class StopRequest: Sendable {
    private let requested = Atomic(false)

    var isRequested: Bool { requested.load(ordering: .relaxed) }

    func request() { requested.store(true, ordering: .relaxed) }
}

/// A point in time: ISO-8601, or an age such as `30m`, `1h`, `7d` meaning that long ago.
struct TimeArgument {
    let date: Date

    /// What a time may be written as, for help and errors.
    static let forms = "an ISO-8601 time (2026-11-29, 2026-11-29T08:00:00Z) or an age (30m, 1h, 7d)"

    init?(argument: String) {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
        if let unit = argument.last.flatMap({ units[$0] }), let amount = Double(argument.dropLast()) {
            // Ages up to a thousand years: beyond, or inf and nan, the milliseconds would not fit an integer.
            let seconds = amount * unit
            guard seconds.isFinite, seconds >= 0, seconds <= 1_000 * 365 * 86_400 else { return nil }
            date = Date().addingTimeInterval(-seconds)
            return
        }
        let styles: [Date.ISO8601FormatStyle] = [
            .init(includingFractionalSeconds: true), .init(), .init().year().month().day(),
        ]
        guard let parsed = styles.lazy.compactMap({ try? $0.parse(argument) }).first else { return nil }
        date = parsed
    }
}

extension Int64 {
    /// Division rounding toward minus infinity (times before 1970 are negative).
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return self % divisor < 0 ? quotient - 1 : quotient
    }

    func floorModulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
