import ArgumentParser
import AuditStore
import CampaignControl
import Foundation
import GenesysCloud
import JSONDocument
import ShellKit

/// `why [CAMPAIGN]` and `why --all`: whether a campaign is dialing now and, if not, every reason found;
/// and who changed its status last (the platform audit, and this audit's rows).
struct Why: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "why",
        abstract: "Explain whether a campaign is dialing now and, if not, every reason found.",
        discussion: """
            Reasons: its status and errors, callable hours, its contact list (importing, failed, empty, \
            expired, exhausted), DNC imports, idle agents, and what else drives it (schedules, rules, \
            sequences and their schedules); then the dialer's recent warnings and errors about it, and the \
            last status changes and who made each. --all lists the campaigns that \
            should be dialing and are not: on but not placing calls, or off in an open schedule window.
            Example: why Q4_Renewals
            """)
    @Argument(help: "The campaign's id or name (the current one by default).") var campaign: String?
    @Flag(help: "One line per campaign that should be dialing and is not.") var all = false

    func run(in context: CommandContext) async throws {
        let client = try await context.client()
        if all, campaign != nil { throw ShellError.usage("name a campaign or use --all, not both") }
        let drivers = await OrgDrivers.read(client, events: true)
        let counts = PreflightCounts()
        if all {
            var found: [DialingDiagnosis] = []
            let campaigns = try await client.campaigns()
            // Each contact list, callable time set, DNC list and queue is read once for the whole org.
            await counts.prefetchContactLists(campaigns.compactMap { $0.contactList?.id }, client)
            for listed in campaigns {
                let diagnosis = await DialingDiagnosis.diagnose(
                    listed, drivers: drivers, client: client, counts: counts)
                if diagnosis.shouldDialButDoesNot { found.append(diagnosis) }
            }
            if context.renderer.format == .json {
                return context.emit(.json(JSONValue.array(found.map { .object(Self.json($0)) }).prettyText))
            }
            return context.emit(
                .table(
                    Table(
                        columns: [Column("campaignId", machineOnly: true), "campaign", "status", "reasons"],
                        rows: found.map { diagnosis in
                            [
                                .text(diagnosis.campaign.id ?? ""), Cell(diagnosis.campaign.name),
                                Cell(diagnosis.campaign.campaignStatus?.rawValue),
                                .text(diagnosis.reasons.map(\.text).joined(separator: "; ")),
                            ]
                        })))
        }
        var diagnosis = await DialingDiagnosis.diagnose(
            try await context.campaign(campaign), drivers: drivers, client: client, counts: counts)
        if let id = diagnosis.campaign.id {
            do {
                diagnosis.changes = try await client.statusChanges(ofCampaign: id)
            } catch {
                diagnosis.reasons.append(.unreadable("the platform audit", error))
            }
        }
        let ours =
            (try? context.components.get(AuditLog.self)?.store().recent(
                AuditFilter(campaign: diagnosis.campaign.id, outcome: .success), limit: 5)) ?? []
        if context.renderer.format == .json {
            var json = Self.json(diagnosis)
            json["campaignshChanges"] = .array(
                ours.map { row in
                    [
                        "time": .string(row.entry.time.formatted(Date.ISO8601FormatStyle())),
                        "verb": .string(row.entry.verb),
                        "from": row.entry.fromStatus.map(JSONValue.string) ?? .null,
                        "to": row.entry.toStatus.map(JSONValue.string) ?? .null,
                        "by": .string(row.entry.actor.osUser), "auditRow": JSONValue(Int(row.seq)),
                    ]
                })
            return context.emit(.json(JSONValue.object(json).prettyText))
        }
        let name = diagnosis.campaign.name ?? diagnosis.campaign.id ?? "?"
        var lines = [
            diagnosis.isDialing
                ? "\(name) is dialing."
                : "\(name) is not dialing\(diagnosis.reasons.contains(where: \.blocks) ? ":" : ".")"
        ]
        lines += diagnosis.reasons.filter(\.blocks).map { "  - \($0.text)" }
        let drivenBy = diagnosis.reasons.filter { !$0.blocks }
        if !drivenBy.isEmpty {
            lines.append("What else drives it:")
            lines += drivenBy.map { "  - \($0.text)" }
        }
        if !diagnosis.events.isEmpty {
            lines.append("Dialer events:")
            lines += diagnosis.events.prefix(5).map { event in
                "  \(event.timestamp ?? "?")  \(event.level ?? "?") \(event.category ?? "")  \(event.message)"
            }
        }
        if !diagnosis.changes.isEmpty || !ours.isEmpty {
            lines.append("Last status changes:")
            lines += diagnosis.changes.prefix(5).map { change in
                "  \(change.date ?? "?")  \(change.from ?? "?") → \(change.to ?? "?")  by "
                    + "\(change.who ?? (change.level == "SYSTEM" ? "Genesys (system)" : "unknown"))"
                    + (change.level.map { " [\($0)]" } ?? "")
            }
            lines += ours.map { row in
                "  \(row.entry.time.formatted(Date.ISO8601FormatStyle()))  \(row.entry.fromStatus ?? "?") → "
                    + "\(row.entry.toStatus ?? "?")  by campaignsh \(row.entry.verb) (\(row.entry.actor.osUser)@"
                    + "\(row.entry.actor.host), audit row \(row.seq))"
            }
        }
        context.emit(.text(lines.joined(separator: "\n")))
    }

    static func json(_ diagnosis: DialingDiagnosis) -> JSONObject {
        [
            "campaignId": diagnosis.campaign.id.map(JSONValue.string) ?? .null,
            "campaign": diagnosis.campaign.name.map(JSONValue.string) ?? .null,
            "status": diagnosis.campaign.campaignStatus.map { .string($0.rawValue) } ?? .null,
            "dialing": .bool(diagnosis.isDialing),
            "reasons": .array(
                diagnosis.reasons.map {
                    ["code": .string($0.code), "text": .string($0.text), "blocks": .bool($0.blocks)]
                }),
            "events": .array(
                diagnosis.events.map { event in
                    [
                        "timestamp": event.timestamp.map(JSONValue.string) ?? .null,
                        "level": event.level.map(JSONValue.string) ?? .null,
                        "category": event.category.map(JSONValue.string) ?? .null,
                        "message": .string(event.message),
                    ]
                }),
            "statusChanges": .array(
                diagnosis.changes.map { change in
                    [
                        "date": change.date.map(JSONValue.string) ?? .null,
                        "from": change.from.map(JSONValue.string) ?? .null,
                        "to": change.to.map(JSONValue.string) ?? .null,
                        "level": change.level.map(JSONValue.string) ?? .null,
                        "who": change.who.map(JSONValue.string) ?? .null,
                    ]
                }),
        ]
    }
}
