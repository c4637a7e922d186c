import ArgumentParser
import CampaignControl
import Foundation
import GenesysCloud
import JSONDocument
import ShellKit

/// campaigns, use, show, progress, stats, why, expect, wait, watch: reading campaigns and asserting on them.
public enum CampaignsPlugin: ShellPlugin {
    public static let name = "Campaigns"
    public static let commands: [any ShellCommand.Type] = [
        ListCampaigns.self, Use.self, Show.self, Progress.self, Stats.self, Why.self, Expect.self, Wait.self,
        Watch.self,
    ]

    /// Commands whose first argument is a campaign.
    static let takingACampaign: Swift.Set<String> = ["use", "show", "progress", "stats", "why", "watch"]

    public static func completions(words: [String], partial: String, components: ShellComponents) -> [String] {
        if words.count == 1, let command = words.first, takingACampaign.contains(command),
            let org = components.get(OrgSession.self)
        {
            // Names, and ids once the word could only be the start of one.
            let references = org.names.all
            let idLike = !partial.isEmpty && partial.allSatisfy { $0.isHexDigit || $0 == "-" }
            return references.map(\.name) + (idLike ? references.map(\.id) : [])
        }
        if words.count == 1 && (words.first == "expect" || words.first == "wait")
            || (words.first == "watch" && words.last == "--until")
        {
            return CampaignField.allCases.map(\.rawValue)
        }
        return []
    }
}

extension CommandContext {
    var org: OrgSession {
        get throws { try components.require(OrgSession.self) }
    }

    /// The connected client.
    func client() async throws -> GenesysClient {
        try await org.connectedClient()
    }

    /// The campaign an argument names, or the current one.
    func campaign(_ wanted: String?) async throws -> Campaign {
        let client = try await client()
        if let wanted { return try await CampaignResolver(client: client).resolve(wanted) }
        guard let current = try await org.current else {
            throw ShellError.usage("no campaign selected", hint: "name one, or pick one with 'use NAME'")
        }
        return try await client.campaign(id: current.id)
    }
}

struct ListCampaigns: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaigns", abstract: "List campaigns with status, lifecycle, dialing mode, queue and progress.",
        discussion: "Example: campaigns --status on --columns name,percentage --sort -percentage")
    @Option(help: "Only campaigns whose name contains this, or matches it as a glob (* and ?); any case or accents.")
    var name: String?
    @Option(help: "Only campaigns on this queue (id or name).") var queue: String?
    @Option(
        help: "Only campaigns in this Genesys status (on, off, stopping, …) or lifecycle (draft, active, paused, …).")
    var status: String?

    func validate() throws {
        if let problem = Lifecycle.statusFilterProblem(status) { throw ValidationError(problem) }
    }

    func run(in context: CommandContext) async throws {
        let client = try await context.client()
        let campaigns = try await client.campaigns().matching(name: name, queue: queue)
        context.warnAboutUnreadableFields(of: campaigns)
        let progress = await ProgressIndex.read(campaigns, client: client)
        if let why = progress.unavailable {
            context.warn("progress unavailable (\(why)); progress left blank, draft shown as paused")
        }
        if name == nil, queue == nil {
            try context.org.names.replace(
                with: campaigns.compactMap { c in c.id.map { CampaignReference(id: $0, name: c.name ?? $0) } })
        }
        let rows: [[Cell]] = campaigns.compactMap { campaign in
            let lifecycle = progress.lifecycle(of: campaign)
            if let status, status != campaign.campaignStatus?.rawValue, status != lifecycle.rawValue { return nil }
            return [
                Cell(campaign.id), Cell(campaign.name), Cell(campaign.campaignStatus?.rawValue),
                .text(lifecycle.rawValue),
                Cell(campaign.dialingMode?.rawValue), Cell(campaign.queue?.name ?? campaign.queue?.id),
                Cell(progress[campaign.id]?.percentage),
            ]
        }
        let table = Table(
            columns: [
                Column("id", machineOnly: true), "name", Column("campaignStatus", title: "status"), "lifecycle",
                Column("dialingMode", title: "dialing mode"),
                "queue", Column("percentage", title: "progress %"),
            ],
            rows: rows
        )
        context.emit(.table(table))
    }
}

extension CommandContext {
    /// One warning line per campaign with members this client cannot read; they are shown blank.
    func warnAboutUnreadableFields(of campaigns: [Campaign]) {
        for campaign in campaigns {
            let problems = campaign.unreadableFields
            guard !problems.isEmpty else { continue }
            warn(
                "campaign \(campaign.name ?? campaign.id ?? "?") (\(campaign.id ?? "no id")): \(problems.joined(separator: "; ")); shown blank"
            )
        }
    }
}

struct Use: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "use",
        abstract: "Make a campaign the current one, by id, name or an unambiguous part of its name.",
        discussion: "Example: use reac (any part of a name; case and accents aside)"
    )
    @Argument(help: "The campaign's id or name.") var campaign: String

    func run(in context: CommandContext) async throws {
        let found = try await context.campaign(campaign)
        guard let id = found.id else { throw ShellError.failure("the campaign has no id") }
        try await context.org.use(CampaignReference(id: id, name: found.name ?? id))
        context.recording.replaceCommand(with: "use \(ShellQuoting.campaignWord(name: found.name, id: id))  # id \(id)")
        context.note("using \(found.name ?? id) (\(found.campaignStatus?.rawValue ?? "?"))")
    }
}

struct Show: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a campaign's settings (the current one by default); --format json prints it whole.",
        discussion: "Example: show Q4_Renewals --format json")
    @Argument(help: "The campaign's id or name.") var campaign: String?

    func run(in context: CommandContext) async throws {
        let found = try await context.campaign(campaign)
        if context.renderer.format == .json {
            return context.emit(.json(found.json.prettyText))
        }
        context.warnAboutUnreadableFields(of: [found])
        var progress: CampaignProgress?
        if let id = found.id {
            do {
                progress = try await context.client().progress(ofCampaign: id)
            } catch let error as GenesysError {
                context.warn("progress unavailable (\(error.shortDescription))")
            }
        }
        let lifecycle = Lifecycle(found, contactsCalled: progress?.numberOfContactsCalled)
        var fields: [(String, Cell)] = [
            ("name", Cell(found.name)), ("id", Cell(found.id)), ("status", Cell(found.campaignStatus?.rawValue)),
            ("lifecycle", .text(lifecycle.rawValue)), ("version", Cell(found.version)),
            ("dialing mode", Cell(found.dialingMode?.rawValue)), ("queue", Cell(found.queue?.name ?? found.queue?.id)),
            ("contact list", Cell(found.contactList?.name ?? found.contactList?.id)),
            ("outbound lines", Cell(found.outboundLineCount)), ("abandon rate", Cell(found.abandonRate)),
            ("max calls per agent", Cell(found.maxCallsPerAgent)), ("priority", Cell(found.priority)),
            ("caller", Cell([found.callerName, found.callerAddress].compactMap { $0 }.joined(separator: " "))),
            ("progress %", Cell(progress?.percentage)), ("modified", Cell(found.dateModified)),
        ]
        for error in found.errors ?? [] { fields.append(("error", .text(error.summary))) }
        if !found.unknownFields.isEmpty {
            fields.append(("other fields", .text(found.unknownFields.joined(separator: ", "))))
        }
        context.emit(.record(fields))
    }
}

struct Progress: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress", abstract: "Show how far a campaign has dialed its list.",
        discussion: "Example: progress Q4_Renewals")
    @Argument(help: "The campaign's id or name.") var campaign: String?

    func run(in context: CommandContext) async throws {
        let found = try await context.campaign(campaign)
        let progress = try await context.client().progress(ofCampaign: found.id ?? "")
        context.emit(
            .record([
                ("campaign", Cell(found.name)), ("called", Cell(progress.numberOfContactsCalled)),
                ("total", Cell(progress.totalNumberOfContacts)), ("progress %", Cell(progress.percentage)),
            ])
        )
    }
}

struct Stats: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Show the dialer's live figures for a campaign.",
        discussion: "Example: stats Q4_Renewals")
    @Argument(help: "The campaign's id or name.") var campaign: String?

    func run(in context: CommandContext) async throws {
        let found = try await context.campaign(campaign)
        let stats = try await context.client().stats(ofCampaign: found.id ?? "")
        context.emit(
            .record([
                ("campaign", Cell(found.name)), ("idle agents", Cell(stats.idleAgents)),
                ("effective idle agents", Cell(stats.effectiveIdleAgents)),
                ("outstanding calls", Cell(stats.outstandingCalls)),
                ("scheduled calls", Cell(stats.scheduledCalls)), ("attempts", Cell(stats.contactRate?.attempts)),
                ("connect ratio", Cell(stats.contactRate?.connectRatio)),
                ("lines in use", Cell(stats.linesUtilization?.assignedOutboundLines)),
                ("lines available", Cell(stats.linesUtilization?.totalAvailableOutboundLines)),
            ])
        )
    }
}
