import ArgumentParser
import AuditStore
import Foundation
import ShellKit

/// audit, audit export, audit verify: reading and checking the audit trail.
public enum AuditPlugin: ShellPlugin {
    public static let name = "Audit"
    public static let commands: [any ShellCommand.Type] = [Audit.self]
}

struct Audit: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Show recent audit rows; export them; verify the hash chain.",
        subcommands: [Recent.self, Export.self, Verify.self], defaultSubcommand: Recent.self)

    func run(in context: CommandContext) async throws {
        try await Recent().run(in: context)
    }

    /// Filters shared by `audit` and `audit export`.
    struct Filters: ParsableArguments {
        @Option(help: "Rows at or after: ISO-8601 (2026-11-29, 2026-11-29T08:00:00Z) or an age (30m, 1h, 7d).")
        var since: TimeArgument?
        @Option(help: "Rows before: ISO-8601 or an age.") var until: TimeArgument?
        @Option(help: "Rows about this campaign (id or name).") var campaign: String?
        @Option(help: "Rows of this verb (activate, pause, …, webhook).") var verb: String?
        @Option(help: "Rows with this outcome: \(AuditOutcome.allCases.map(\.rawValue).joined(separator: ", ")).")
        var outcome: String?

        func validate() throws {
            if let outcome, AuditOutcome(rawValue: outcome) == nil {
                throw ValidationError("unknown outcome '\(outcome)'")
            }
        }

        var filter: AuditFilter {
            AuditFilter(
                since: since?.date, until: until?.date, campaign: campaign, verb: verb,
                outcome: outcome.flatMap(AuditOutcome.init(rawValue:))
            )
        }
    }

    struct Recent: ShellCommand {
        static let configuration = CommandConfiguration(commandName: "recent", abstract: "Show the most recent rows.")
        @OptionGroup var filters: Filters
        @Option(help: "How many rows.") var limit = 50

        func run(in context: CommandContext) async throws {
            let records = try context.components.require(AuditLog.self).store().recent(filters.filter, limit: limit)
            let columns = ["seq", "time", "actor", "campaign", "verb", "from", "to", "outcome", "attempt", "http", "error"]
            context.emit(.table(Table(columns: columns, rows: records.map { record in
                let entry = record.entry
                return [
                    .integer(Int(record.seq)), .text(AuditColumns.timestamp(entry.time)),
                    .text([entry.actor.profile, entry.actor.osUser].compactMap { $0 }.joined(separator: "/")),
                    Cell(entry.campaignName ?? entry.campaignID), .text(entry.verb), Cell(entry.fromStatus),
                    Cell(entry.toStatus), .text(entry.outcome.rawValue), .integer(entry.attempt), Cell(entry.httpStatus),
                    Cell(entry.errorMessage),
                ]
            })))
        }
    }

    struct Export: ShellCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Stream every matching row, all fields (e.g. --format jsonl > audit.jsonl, or | gzip).")
        @OptionGroup var filters: Filters

        func run(in context: CommandContext) async throws {
            let store = try context.components.require(AuditLog.self).store()
            let renderer = context.renderer
            let columns = AuditColumns.names
            var buffer = renderer.streamHeader(columns)
            var count = 0
            try store.forEach(filters.filter) { record in
                try Task.checkCancellation()
                buffer += renderer.streamRow(columns, AuditColumns.cells(record), index: count)
                count += 1
                if buffer.utf8.count >= 1 << 16 {
                    context.output.write(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            context.output.write(buffer + renderer.streamFooter(rows: count))
        }
    }

    struct Verify: ShellCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "Walk the hash chain; name the first broken row (exit status 1).")
        @Option(help: ArgumentHelp(
            "A head printed by an earlier verify (or a webhook event's auditAnchor) that must still be in the chain.",
            valueName: "SEQ:HASH"))
        var anchor: String?

        func run(in context: CommandContext) async throws {
            let log = try context.components.require(AuditLog.self)
            let anchor = try self.anchor.map {
                guard let anchor = AuditAnchor($0) else { throw ShellError.usage("--anchor takes SEQ:HASH, as verify prints it") }
                return anchor
            }
            switch try log.store().verify(anchor: anchor) {
            case .intact(let rows, let head):
                context.emit(.text("audit chain intact: \(rows) rows in \(log.path)" + (head.map { "; head \($0)" } ?? "")))
            case .broken(let seq, let reason):
                throw ShellError.failure("audit chain broken at row \(seq): \(reason)")
            }
        }
    }
}

/// Every field of a row, in export order.
enum AuditColumns {
    static let names = [
        "seq", "time", "actor_profile", "actor_client_id", "actor_os_user", "actor_host", "session", "command",
        "campaign_id", "campaign_name", "verb", "from_status", "to_status", "outcome", "attempt", "version_before",
        "version_after", "latency_ms", "http_status", "correlation_id", "override_checks", "override_reason",
        "error_message", "prev_hash", "hash",
    ]

    static func cells(_ record: AuditRecord) -> [Cell] {
        let entry = record.entry
        return [
            .integer(Int(record.seq)), .text(timestamp(entry.time)), Cell(entry.actor.profile), Cell(entry.actor.clientID),
            .text(entry.actor.osUser), .text(entry.actor.host), .text(entry.session), .text(entry.command),
            Cell(entry.campaignID), Cell(entry.campaignName), .text(entry.verb), Cell(entry.fromStatus),
            Cell(entry.toStatus), .text(entry.outcome.rawValue), .integer(entry.attempt), Cell(entry.versionBefore),
            Cell(entry.versionAfter), Cell(entry.latencyMs), Cell(entry.httpStatus), Cell(entry.correlationID),
            Cell(entry.overrideChecks), Cell(entry.overrideReason), Cell(entry.errorMessage), .text(record.prevHash),
            .text(record.hash),
        ]
    }

    /// UTC with milliseconds: `2026-11-29T08:00:00.123Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// A point in time: ISO-8601, or an age such as `30m`, `1h`, `7d` meaning that long ago.
struct TimeArgument: ExpressibleByArgument {
    let date: Date

    init?(argument: String) {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
        if let unit = argument.last.flatMap({ units[$0] }), let amount = Double(argument.dropLast()), amount >= 0 {
            date = Date().addingTimeInterval(-amount * unit)
            return
        }
        let styles: [Date.ISO8601FormatStyle] = [
            .init(includingFractionalSeconds: true), .init(), .init().year().month().day(),
        ]
        guard let parsed = styles.lazy.compactMap({ try? $0.parse(argument) }).first else { return nil }
        date = parsed
    }
}
