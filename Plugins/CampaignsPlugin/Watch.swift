import ArgumentParser
import AuditStore
import CampaignControl
import Foundation
import GenesysCloud
import JSONDocument
import ShellKit
import Synchronization

struct Watch: ShellCommand {
    static let isCheck = true
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Show campaigns live as they change (a table on a terminal, one JSON line per change elsewhere).",
        discussion: """
            Changes come on the notification channel as Genesys sends them (polling when it cannot be had). \
            Ctrl-C leaves. With --until it ends once the condition holds on every campaign watched (exit 3 \
            when --timeout runs out first). Examples: watch --all --status on; \
            watch Q4_Renewals --until status == off --timeout 10m; watch --all >> events.jsonl
            """)
    @Argument(help: "Campaigns by id or name; none means the current campaign.") var campaigns: [String] = []
    @Flag(help: "Every campaign (narrow with --name and --status).") var all = false
    @Option(help: "With --all: names containing this, or matching it as a glob (* and ?).") var name: String?
    @Option(help: "With --all: campaigns in this Genesys status or lifecycle when the watch starts.")
    var status: String?
    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp(
            "End when FIELD OP VALUE holds on every campaign watched (as 'wait': status == off).",
            valueName: "field op value"))
    var until: [String] = []
    @Option(help: "End after this long (e.g. 90s, 10m); with --until, exit 3 if it has not held by then.")
    var timeout: DurationArgument?
    @Option(help: "Without the notification channel, read this often (e.g. 500ms, 2s).")
    var every = DurationArgument(.seconds(2))

    func validate() throws {
        if all, !campaigns.isEmpty { throw ValidationError("name campaigns or use --all, not both") }
        if !all, name != nil || status != nil { throw ValidationError("--name and --status go with --all") }
        if let problem = Lifecycle.statusFilterProblem(status) { throw ValidationError(problem) }
        if !until.isEmpty { try condition?.validate() }
    }

    /// `--until FIELD OP VALUE`.
    var condition: CampaignCondition? {
        get throws {
            guard !until.isEmpty else { return nil }
            guard until.count == 3, let field = CampaignField(rawValue: until[0]),
                let comparison = Comparison(argument: until[1])
            else {
                throw ValidationError(
                    "--until takes FIELD OP VALUE, e.g. --until status == off (fields: "
                        + CampaignField.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            return CampaignCondition(field: field, comparison: comparison, value: until[2])
        }
    }

    func run(in context: CommandContext) async throws {
        let client = try await context.client()
        let watched = try await chosen(client: client, context: context)
        guard !watched.isEmpty else { throw ShellError.failure("no campaign matches") }
        let condition = try self.condition
        if client.plan != nil {
            // A plan does not watch: what --until waits for is checked as `wait` checks it.
            if let condition { return try await condition.rehearse(on: watched, client: client) }
            Rehearsal.current?.checkLive("watch")
            return
        }
        let view = WatchView(context: context, audit: context.components.get(AuditLog.self))
        try await CampaignWaiting(
            condition: condition, timeout: timeout ?? DurationArgument(DurationArgument.longest),
            pollInterval: every.duration, onSignal: { signal, watch in await view.show(signal, watch) }
        ).wait(for: watched, in: context, figures: [.progress, .idleAgents])
    }

    /// The campaigns named, the current one, or those `--all` selects (in the listing's order).
    private func chosen(client: GenesysClient, context: CommandContext) async throws -> [Campaign] {
        guard all else {
            if campaigns.isEmpty { return [try await context.campaign(nil)] }
            let resolver = CampaignResolver(client: client)
            var found: [Campaign] = []
            for wanted in campaigns {
                let campaign = try await resolver.resolve(wanted)
                if !found.contains(where: { $0.id == campaign.id }) { found.append(campaign) }
            }
            return found
        }
        let listed = try await client.campaigns().matching(name: name, queue: nil)
        guard let status else { return listed }
        let progress = await ProgressIndex.read(listed, client: client)
        return listed.filter { status == $0.campaignStatus?.rawValue || status == progress.lifecycle(of: $0).rawValue }
    }
}

/// How `watch` shows what it hears: a table redrawn in place on a terminal, one JSON line per update
/// anywhere else (a file it appends to is a log of the campaigns' changes).
final class WatchView: Sendable {
    private let context: CommandContext
    private let audit: AuditLog?
    private let state = Mutex(State())

    private struct State {
        var linesShown = 0
        /// Who made each version, from the audit: `campaign id` → (version, who, when it was looked up).
        var makers: [String: (version: Int, who: String?, checked: Date)] = [:]
        var lastHealth: String?
    }

    init(context: CommandContext, audit: AuditLog?) {
        self.context = context
        self.audit = audit
    }

    /// A table redrawn in place: on a terminal, unless another format was asked for (`--format jsonl`).
    var isLive: Bool { context.output.isTerminal && context.renderer.format == .table }

    /// Shows the signal; false once the reader of a pipe has gone (`watch --all | head -5`).
    func show(_ signal: CampaignWatch.Signal, _ watch: CampaignWatch) async -> Bool {
        await present(signal, watch)
        return !context.output.readerHasLeft
    }

    private func present(_ signal: CampaignWatch.Signal, _ watch: CampaignWatch) async {
        let channel = await watch.channelHealth()
        let listening = await watch.listening
        if isLive {
            let campaigns = await watch.campaigns
            let health = Self.describe(channel, listening: listening, detailed: true)
            draw(await watch.order.compactMap { campaigns[$0] }, health: health)
            return
        }
        let health = Self.describe(channel, listening: listening, detailed: false)
        var lines = ""
        if case .update(let update) = signal { lines += line(for: update) }
        let changed = state.withLock { state -> Bool in
            defer { state.lastHealth = health }
            return state.lastHealth != nil && state.lastHealth != health
        }
        if changed {
            let object: JSONValue = ["time": .string(Self.timestamp(Date())), "channel": .string(health)]
            lines += object.jsonText + "\n"
        }
        if !lines.isEmpty { context.output.write(lines) }
    }

    // MARK: Lines

    private func line(for update: CampaignWatch.Update) -> String {
        let watched = update.campaign
        var object: JSONObject = [
            "time": .string(Self.timestamp(Date())), "topic": .string(update.topic),
            "source": .string(update.source.rawValue), "id": .string(watched.id),
            "name": watched.campaign.name.map(JSONValue.string) ?? .null,
            "status": watched.campaign.campaignStatus.map { .string($0.rawValue) } ?? .null,
            "lifecycle": .string(watched.lifecycle.rawValue),
            "version": watched.campaign.version.map(JSONValue.init) ?? .null,
            "percentage": watched.progress?.percentage.map(JSONValue.init) ?? .null,
            "contactsCalled": watched.progress?.numberOfContactsCalled.map(JSONValue.init) ?? .null,
            "idleAgents": watched.idleAgents.map(JSONValue.init) ?? .null,
        ]
        if let change = update.change { object["change"] = .string(change) }
        if let who = maker(of: watched) { object["by"] = .string(who) }
        return JSONValue.object(object).jsonText + "\n"
    }

    // MARK: The table

    private func draw(_ campaigns: [WatchedCampaign], health: String) {
        let room = max(3, (context.output.rows ?? 24) - 4)
        let shown = campaigns.prefix(room)
        let rows: [[Cell]] = shown.map { watched in
            [
                Cell(watched.campaign.name), Cell(watched.campaign.campaignStatus?.rawValue),
                .text(watched.lifecycle.rawValue), Cell(watched.progress?.percentage),
                Cell(watched.progress?.numberOfContactsCalled), Cell(watched.idleAgents),
                Cell(Self.lastChange(watched)),
                Cell(maker(of: watched)),
            ]
        }
        let table = Table(
            columns: [
                "name", Column("campaignStatus", title: "status"), "lifecycle",
                Column("percentage", title: "progress %"), Column("contactsCalled", title: "calls"),
                Column("idleAgents", title: "idle agents"), Column("lastChange", title: "last change"),
                Column("by", title: "by"),
            ],
            rows: rows)
        guard var text = try? context.rendered(.table(table)) else { return }
        if !text.hasSuffix("\n") { text += "\n" }
        text += Self.footer(campaigns, hidden: campaigns.count - shown.count, health: health) + "\n"
        let lines = text.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
        let previous = state.withLock { state in
            defer { state.linesShown = lines }
            return state.linesShown
        }
        // Back to the top of the table drawn last, cleared to the end of the screen, drawn again.
        let back = previous > 0 ? "\u{1B}[\(previous)A\r\u{1B}[J" : ""
        context.output.write(back + text)
    }

    /// The change seen while watching, or the campaign's `dateModified` before any.
    static func lastChange(_ watched: WatchedCampaign) -> String? {
        if let at = watched.changedAt { return clockTime(at) + " " + (watched.change ?? "") }
        return watched.campaign.dateModified.map { String($0.prefix(19)).replacingOccurrences(of: "T", with: " ") }
    }

    /// Totals by status, calls, and the channel's health.
    static func footer(_ campaigns: [WatchedCampaign], hidden: Int, health: String) -> String {
        var byStatus: [String: Int] = [:]
        for watched in campaigns { byStatus[watched.campaign.campaignStatus?.rawValue ?? "?", default: 0] += 1 }
        let statuses = byStatus.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        let calls = campaigns.compactMap(\.progress?.numberOfContactsCalled).reduce(0, +)
        let more = hidden > 0 ? " (\(hidden) not shown: a taller terminal shows them)" : ""
        return "\(campaigns.count) campaigns\(more): \(statuses) · \(calls) calls · \(health) · \(clockTime(Date()))"
    }

    /// The channel's health; `detailed` adds the seconds since it was last heard (a line per second).
    static func describe(_ health: NotificationChannel.Health?, listening: Bool, detailed: Bool) -> String {
        guard listening, let health else { return "polling" }
        guard health.connected else { return "channel connecting" }
        var text = "channel connected"
        if detailed, let heard = health.sinceLastMessage {
            text += ", last heard \(heard.components.seconds) s ago"
        }
        if health.reconnections > 0 { text += ", reconnected \(health.reconnections)×" }
        return text
    }

    // MARK: Who

    /// Who made the campaign's current version, when this audit has the row (`user@host`). Not found is
    /// asked again for a few seconds: the event of a change can come before its audit row is written.
    private func maker(of watched: WatchedCampaign) -> String? {
        guard let version = watched.campaign.version else { return nil }
        let now = Date()
        if let known = state.withLock({ $0.makers[watched.id] }), known.version == version,
            known.who != nil || now.timeIntervalSince(known.checked) > 1
                || (watched.changedAt.map { now.timeIntervalSince($0) > 10 } ?? true)
        {
            return known.who
        }
        let row = (try? audit?.store().recent(AuditFilter(campaign: watched.id), limit: 20))?.first {
            $0.entry.versionAfter == version && $0.entry.outcome == .success
        }
        let who = row.map { "\($0.entry.actor.osUser)@\($0.entry.actor.host)" }
        state.withLock { $0.makers[watched.id] = (version, who, now) }
        return who
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    private static func clockTime(_ date: Date) -> String {
        date.formatted(.dateTime.hour(.twoDigits(amPM: .omitted)).minute(.twoDigits).second(.twoDigits))
    }
}
