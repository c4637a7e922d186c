import ArgumentParser
import AuditStore
import CampaignControl
import Foundation
import GenesysCloud
import ShellKit

/// activate, pause, archive, restore, recycle, transition, archives: moving campaigns safely.
public enum TransitionsPlugin: ShellPlugin {
    public static let name = "Transitions"
    public static let commands: [any ShellCommand.Type] = [
        Activate.self, Pause.self, Release.self, Archive.self, Restore.self, Recycle.self, Transition.self,
        Archives.self,
    ]

    public static func completions(words: [String], partial: String, components: ShellComponents) -> [String] {
        switch words.last {
        case "--status": return Lifecycle.statusFilterChoices
        case "--override": return PreflightCheck.Name.overridable.map(\.rawValue)
        default: break
        }
        if words.first == "transition", words.count == 2 {
            return Lifecycle.allCases.filter { Verb(reaching: $0) != nil }.map(\.rawValue)
        }
        guard let command = words.first, ["activate", "pause", "archive", "recycle", "transition"].contains(command),
            let org = components.get(OrgSession.self)
        else { return [] }
        return org.names.all.map(\.name)
    }
}

/// Which campaigns a verb acts on, and how.
struct TransitionArguments: ParsableArguments {
    @Argument(help: "Campaigns by id or name; none means the current campaign.") var campaigns: [String] = []
    @Flag(help: "Every campaign (narrow with --name and --status).") var all = false
    @Option(help: "With --all: names containing this, or matching it as a glob (* and ?).") var name: String?
    @Option(help: "With --all: campaigns in this Genesys status or lifecycle.") var status: String?
    @Option(help: "With --all: campaigns on this queue (id or name).") var queue: String?
    @Flag(name: .customLong("dry-run"), help: "Print the requests instead of sending them.") var dryRun = false
    @Flag(help: "Do not ask for confirmation.") var yes = false
    @Option(name: .customLong("max-conflicts"), help: "Version conflicts to retry.") var maxConflicts = 3
    @Option(help: "Campaigns worked on at once.") var parallel = 4

    /// The same choices as a plain value (ArgumentParser's wrappers exist only in parsed commands).
    var selection: Selection {
        Selection(
            campaigns: campaigns, all: all, name: name, status: status, queue: queue, dryRun: dryRun, yes: yes,
            maxConflicts: maxConflicts, parallel: parallel
        )
    }

    func validate() throws {
        if all, !campaigns.isEmpty { throw ValidationError("name campaigns or use --all, not both") }
        if !all, name != nil || status != nil || queue != nil {
            throw ValidationError("--name, --status and --queue go with --all")
        }
        if let problem = Lifecycle.statusFilterProblem(status) { throw ValidationError(problem) }
        if !(1...64).contains(parallel) || !(0...100).contains(maxConflicts) {
            throw ValidationError("--parallel takes 1 to 64, --max-conflicts 0 to 100")
        }
    }
}

/// Which campaigns a verb acts on, and how.
struct Selection {
    var campaigns: [String]
    var all = false
    var name: String?
    var status: String?
    var queue: String?
    var dryRun = false
    var yes = false
    var maxConflicts = 3
    var parallel = 4
}

extension CommandContext {
    var org: OrgSession {
        get throws { try components.require(OrgSession.self) }
    }

    func engine() async throws -> TransitionEngine {
        let org = try org
        let client = try await org.connectedClient()
        let settings = await org.settings
        // A plan's changes happen nowhere: no webhook event, and audit rows (outcome dry_run) only when the
        // plan is all the operator asked for.
        let planning = client.plan != nil
        let sessionDryRun = await session.dryRun
        let keepsRows = !planning || sessionDryRun
        return TransitionEngine(
            client: client, audit: keepsRows ? components.get(AuditLog.self) : nil,
            notifier: planning ? nil : components.get(WebhookNotifier.self),
            actor: settings?.auditActor ?? .current(profile: nil, clientID: nil),
            session: components.get(AuditSession.self)?.id ?? "unknown"
        )
    }

    /// The campaigns the arguments name, as Genesys returns them (full bodies, current versions).
    func selectedCampaigns(_ arguments: Selection, client: GenesysClient) async throws -> [Campaign] {
        if arguments.all {
            let listed = try await client.campaigns().matching(name: arguments.name, queue: arguments.queue)
            guard let status = arguments.status else { return listed }
            guard Lifecycle(rawValue: status) != nil else {
                return listed.filter { $0.campaignStatus?.rawValue == status }
            }
            let progress = await ProgressIndex.read(listed, client: client)
            if let why = progress.unavailable, status == Lifecycle.draft.rawValue || status == Lifecycle.paused.rawValue
            {
                throw ShellError.failure(
                    "cannot tell draft from paused: progress unavailable (\(why))",
                    hint: "select by Genesys status instead, e.g. --status off")
            }
            return listed.filter {
                $0.campaignStatus?.rawValue == status || progress.lifecycle(of: $0).rawValue == status
            }
        }
        let resolver = CampaignResolver(client: client)
        if arguments.campaigns.isEmpty {
            guard let current = try await org.current else {
                throw ShellError.usage("no campaign selected", hint: "name one, use --all, or pick one with 'use NAME'")
            }
            return [try await client.campaign(id: current.id)]
        }
        var found: [Campaign] = []
        for wanted in arguments.campaigns { found.append(try await resolver.resolve(wanted)) }
        return found
    }

    /// Asks before a destructive or bulk change: on a terminal the operator types the campaign's name
    /// (or `yes` for several); elsewhere `--yes` is required.
    func confirm(_ what: String, campaigns: [Campaign], assumeYes: Bool, subject named: String? = nil) async throws {
        let sessionSaysYes = await session.assumeYes
        if assumeYes || sessionSaysYes { return }
        // A plan asks nobody: the operator is asked when the change is made.
        if isInteractive, try await org.plan != nil { return }
        let expected = named ?? (campaigns.count == 1 ? (campaigns[0].name ?? campaigns[0].id ?? "") : "yes")
        let subject = named ?? (campaigns.count == 1 ? expected : "\(campaigns.count) campaigns")
        guard isInteractive else { throw ShellError.usage("\(what) \(subject) needs --yes outside a terminal") }
        OutputDestination.standardError.write(
            TerminalText.escaped(Self.confirmation(what, subject, campaigns), keepingLineBreaks: true)
                + "Type '\(TerminalText.escaped(expected))' to confirm: ")
        guard Swift.readLine()?.trimmingCharacters(in: .whitespaces) == expected else {
            throw ShellError.failure("not confirmed; nothing changed")
        }
        recording.confirmed()
    }

    /// The question before a change: for several campaigns, the first ten it will touch (name, status) and
    /// how many more.
    static func confirmation(_ what: String, _ subject: String, _ campaigns: [Campaign]) -> String {
        guard campaigns.count > 1 else { return "\(what) \(subject)? " }
        let shown = campaigns.prefix(10).map { campaign in
            "  \(campaign.name ?? campaign.id ?? "?") (\(campaign.campaignStatus?.rawValue ?? "status unknown"))\n"
        }
        let more = campaigns.count > 10 ? ["  … and \(campaigns.count - 10) more\n"] : []
        return "\(what) \(subject):\n" + (shown + more).joined() + "\(what) these \(campaigns.count)? "
    }

    /// For `record`: the state each campaign was found in, as `expect … --campaign` lines a replay checks
    /// first, and the command with the campaigns it resolved to by full name (ids in a comment) instead of
    /// the names or filters it was given, so that a replay acts on the same campaigns or refuses before it
    /// acts.
    func noteForRecording(_ arguments: Selection, _ campaigns: [Campaign]) async throws {
        guard arguments.all || !arguments.campaigns.isEmpty else {
            recording.before(campaigns.map { "expect status == \($0.campaignStatus?.rawValue ?? "?")" })
            return
        }
        recording.before(
            campaigns.map { campaign in
                "expect status == \(campaign.campaignStatus?.rawValue ?? "?") --campaign "
                    + "\(ShellQuoting.campaignWord(name: campaign.name, id: campaign.id))  # id \(campaign.id ?? "?")"
            })
        if let replayed = await replayableCommand(arguments, campaigns) { recording.replaceCommand(with: replayed) }
    }

    /// The command as typed, with its selection (names, `--all`, `--name`, `--status`, `--queue`) replaced
    /// by `campaigns`' full names.
    private func replayableCommand(_ arguments: Selection, _ campaigns: [Campaign]) async -> String? {
        let variables = await session.variables
        guard let parsed = try? CommandLineParser.parse(commandText, variable: { variables[$0] }).first,
            let verb = parsed.words.first
        else { return nil }
        var named = arguments.campaigns
        var kept: [String] = []
        var words = parsed.words.dropFirst()[...]
        while let word = words.popFirst() {
            if word == "--all" { continue }
            if ["--name", "--status", "--queue"].contains(word) {
                _ = words.popFirst()
                continue
            }
            if ["--name=", "--status=", "--queue="].contains(where: word.hasPrefix) { continue }
            if let index = named.firstIndex(of: word) {
                named.remove(at: index)
                continue
            }
            kept.append(word)
        }
        let names = campaigns.map { ShellQuoting.campaignWord(name: $0.name, id: $0.id) }
        var line = ([ShellQuoting.quote(verb)] + names + kept.map(ShellQuoting.quote)).joined(separator: " ")
        switch parsed.redirection {
        case .write(let path)?: line += " > " + ShellQuoting.quote(path)
        case .append(let path)?: line += " >> " + ShellQuoting.quote(path)
        case .pipe(let command)?: line += " | " + command
        case nil: break
        }
        return line + "  # ids " + campaigns.map { $0.id ?? "?" }.joined(separator: " ")
    }

    /// Prints the plans of a dry run and the summary table; fails with exit 1 if any campaign failed, and
    /// with exit 3 if a wait timed out (as every timed-out wait does).
    func report(
        _ results: [TransitionResult], overrides: Swift.Set<PreflightCheck.Name> = [], reason: String? = nil
    ) throws {
        for result in results where !result.plan.isEmpty {
            note("plan for \(result.campaignName ?? result.campaignID):")
            for step in result.plan { note("  \(step)") }
        }
        for result in results {
            for check in result.checks {
                let overridden = check.state != .pass && check.bypassed(by: overrides)
                let shown =
                    check.state == .pass ? "pass" : overridden ? "overridden" : check.state.rawValue.uppercased()
                let why = overridden ? " (\(check.state.rawValue), overridden: \(reason ?? "no reason"))" : ""
                note("  \(shown) \(check.name.rawValue): \(check.figure)\(why)")
            }
        }
        emit(
            .table(
                Table(
                    columns: [
                        Column("campaignId", machineOnly: true), "campaign", Column("fromStatus", title: "from"),
                        Column("toStatus", title: "to"), Column("outcome", colors: AuditOutcome.terminalColors),
                        "attempts",
                        Column("latencyMs", title: "latency ms"), "message",
                    ],
                    rows: results.map { result in
                        [
                            .text(result.campaignID), Cell(result.campaignName ?? result.campaignID),
                            Cell(result.from?.description),
                            Cell(result.to?.description), .text(result.outcome.rawValue), .integer(result.attempts),
                            .integer(Int(result.latency.nanoseconds / 1_000_000)),
                            Cell(result.message),
                        ]
                    }
                )))
        // A wait that ran out is a timed-out wait (exit 3) whatever the verb, an archive's included.
        let failed = results.filter { $0.failed && !$0.timedOut }
        if !failed.isEmpty {
            throw ShellError.failure(
                results.count == 1
                    ? (failed[0].message ?? "the transition failed")
                    : "\(failed.count) of \(results.count) campaigns failed"
            )
        }
        let timedOut = results.filter(\.timedOut)
        if !timedOut.isEmpty {
            throw ShellError.expectation(
                results.count == 1
                    ? "timed out: \(timedOut[0].campaignName ?? timedOut[0].campaignID) is \(timedOut[0].message ?? "not off yet")"
                    : "timed out: \(timedOut.count) of \(results.count) campaigns are not off yet"
            )
        }
    }

    /// Runs a verb over the selected campaigns, with the session's dry-run and the run's options.
    func transition(
        _ verb: Verb, _ arguments: Selection, confirmIf destructive: Bool, hold: Bool = false,
        configure: (inout TransitionOptions) -> Void = { _ in }
    ) async throws {
        let engine = try await engine()
        let (campaigns, alreadyArchived) =
            verb == .archive && !arguments.all && !arguments.campaigns.isEmpty
            ? try await namedForArchive(arguments.campaigns, client: engine.client)
            : (try await selectedCampaigns(arguments, client: engine.client), [])
        guard !campaigns.isEmpty || !alreadyArchived.isEmpty else { throw ShellError.failure("no campaign matches") }
        var options = TransitionOptions()
        let sessionDryRun = await session.dryRun
        // While a runbook is planned, the plan is the dry run: its changes go to the simulated org.
        let planning = engine.client.plan != nil
        options.dryRun = arguments.dryRun || (sessionDryRun && !planning)
        options.maxConflicts = arguments.maxConflicts
        options.command = commandText
        options.minAgents = (try await org.settings?.minAgents) ?? 1
        configure(&options)
        // A plain pause is an emergency stop: what may turn the campaigns on again is read alongside it and
        // told after; a hold and an archive need it first.
        let client = engine.client
        let reading = verb == .pause || verb == .archive ? Task { await OrgDrivers.read(client) } : nil
        let drivers = hold || verb == .archive ? await reading?.value : nil
        let holds = hold ? campaigns.map { HoldPlan(holding: $0, drivers: drivers ?? OrgDrivers()) } : []
        for (campaign, plan) in zip(campaigns, holds) {
            note("hold \(campaign.name ?? campaign.id ?? "?"):")
            for line in plan.lines { note("  \(line)") }
            if plan.lines.isEmpty { note("  nothing else turns it on") }
        }
        do {
            if !options.dryRun, destructive || hold || campaigns.count > 1 {
                try await confirm(
                    hold ? "pause and hold" : verb.rawValue, campaigns: campaigns, assumeYes: arguments.yes)
            }
            try await noteForRecording(arguments, campaigns)
        } catch {
            // Not confirmed: the reads started alongside end before the command does (an HTTP request left
            // in flight at exit aborts the process). Awaited, not cancelled: a request cancelled mid-answer
            // made the sandbox's in-process server abort the same way (NIOAsyncWriter deinited unfinished).
            _ = await reading?.value
            throw error
        }
        let detached =
            verb == .archive
            ? try await keepAndDetachLinks(campaigns, drivers ?? OrgDrivers(), engine: engine, dryRun: options.dryRun)
            : []
        do {
            try await perform(
                verb, campaigns.map(TransitionSubject.campaign) + alreadyArchived.map(TransitionSubject.archived),
                options: options, parallel: arguments.parallel)
        } catch {
            if verb == .pause, !hold, let reading { warnAboutComebacks(campaigns, await reading.value) }
            try await reattach(detached, engine: engine)
            throw error
        }
        if verb == .pause, !hold, let reading { warnAboutComebacks(campaigns, await reading.value) }
        guard hold, !options.dryRun else { return }
        var entry = AuditEntry(
            actor: engine.actor, session: engine.session, command: commandText, verb: "hold", outcome: .success)
        for (campaign, plan) in zip(campaigns, holds) {
            entry.campaignID = campaign.id
            entry.campaignName = campaign.name
            for line in try await plan.apply(
                client: engine.client, audit: engine.audit ?? components.get(AuditLog.self), entry: entry)
            {
                note("\(campaign.name ?? campaign.id ?? "?"): \(line)")
            }
        }
        let unheld = zip(campaigns, holds).filter { !$0.1.cannot.isEmpty }.map { $0.0.name ?? $0.0.id ?? "?" }
        if !unheld.isEmpty {
            throw ShellError.failure(
                "paused, but not held against everything: \(unheld.joined(separator: ", "))",
                hint: "see the lines above")
        }
    }

    /// Before an archive: each campaign's schedule and the rules and sequences that name it are kept in the
    /// audit file for `restore`, then the campaign is taken out of them, so the DELETE works whether Genesys
    /// refuses or cascades it (which it does is not documented).
    /// The campaigns it detached.
    private func keepAndDetachLinks(
        _ campaigns: [Campaign], _ drivers: OrgDrivers, engine: TransitionEngine, dryRun: Bool
    ) async throws -> [Campaign] {
        var detached: [Campaign] = []
        for campaign in campaigns {
            let links = CampaignLinks(of: campaign.id ?? "", in: drivers)
            guard !links.isEmpty, let id = campaign.id else { continue }
            let name = campaign.name ?? id
            if dryRun || engine.client.plan != nil {
                note("archive \(name) keeps, for restore, and takes it out of: " + links.lines.joined(separator: ", "))
                continue
            }
            let store = try components.require(AuditLog.self).store()
            try await links.keep(for: id, in: store)
            do {
                try await links.detach(id, client: engine.client)
            } catch {
                try await reattach(detached + [campaign], engine: engine)
                throw ShellError.failure("cannot archive \(name): \(OrgDrivers.describe(error))")
            }
            detached.append(campaign)
            note("\(name): kept for restore and took it out of " + links.lines.joined(separator: ", "))
        }
        return detached
    }

    /// After an archive that did not happen: each campaign that still exists gets back its schedule, rules
    /// and sequences (a restore onto its own id).
    private func reattach(_ campaigns: [Campaign], engine: TransitionEngine) async throws {
        guard !campaigns.isEmpty, let audit = components.get(AuditLog.self) else { return }
        for campaign in campaigns {
            guard let id = campaign.id, (try? await engine.client.campaign(id: id)) != nil else { continue }
            let entry = AuditEntry(
                actor: engine.actor, session: engine.session, command: commandText, campaignName: campaign.name,
                verb: "archive", outcome: .success)
            for line in try await CampaignLinks.repoint(
                from: id, to: id, client: engine.client, store: try audit.store(), entry: entry)
            {
                note("\(campaign.name ?? id) was not archived: \(line)")
            }
        }
    }

    /// Before a pause: what will turn each campaign on again by itself (a schedule window, an enabled
    /// rule, a running sequence), named, so the operator is not surprised when it dials again.
    private func warnAboutComebacks(_ campaigns: [Campaign], _ drivers: OrgDrivers) {
        for line in drivers.unreadable { warn("cannot check what may turn it on again: \(line)") }
        let now = Date()
        for campaign in campaigns {
            for comeback in drivers.comebacks(of: campaign.id ?? "", at: now) {
                warn("\(campaign.name ?? campaign.id ?? "?"): \(comeback) (pause --hold keeps it off)")
            }
        }
    }

    /// The campaigns `names` name for an archive, and those of them that no longer exist because this
    /// audit's archive holds them (an archive that ended, or was killed, after its DELETE): archiving those
    /// again is a no-op, as pausing an off campaign is, so a resumed runbook does not fail on its own work.
    private func namedForArchive(_ names: [String], client: GenesysClient) async throws
        -> ([Campaign], [ArchivedCampaign])
    {
        let resolver = CampaignResolver(client: client)
        var live: [Campaign] = []
        var archived: [ArchivedCampaign] = []
        for wanted in names {
            do {
                live.append(try await resolver.resolve(wanted))
            } catch CampaignResolver.Failure.notFound {
                guard let held = try await heldInArchive(wanted, client: client) else {
                    throw CampaignResolver.Failure.notFound(wanted)
                }
                archived.append(held)
            }
        }
        return (live, archived)
    }

    /// The archive entry, not restored, of `wanted` (old id or name), if its campaign is gone from Genesys.
    private func heldInArchive(_ wanted: String, client: GenesysClient) async throws -> ArchivedCampaign? {
        guard let audit = components.get(AuditLog.self) else { return nil }
        let stored = try audit.store().archives()
        let archives = try await org.plan?.archives(stored) ?? stored
        guard
            let held = archives.last(where: { ($0.campaignID == wanted || $0.name == wanted) && $0.restoredAs == nil })
        else { return nil }
        do {
            _ = try await client.campaign(id: held.campaignID)
            return nil  // it still exists, under another name: not this one
        } catch let error as GenesysError where error.status == 404 {
            return held
        }
    }

    /// Runs a verb through the engine's one door for every subject, then reports.
    func perform(_ verb: Verb, _ subjects: [TransitionSubject], options: TransitionOptions, parallel: Int = 4)
        async throws
    {
        var options = options
        let planning = try await org.plan != nil
        // A plan's waits see the simulated org at once: its time passes without waiting.
        if planning { options.clock = .immediate() }
        // A live line on a terminal, erased when done: never in a file, a pipe or a plan.
        let interactive = OutputDestination.standardError.isTerminal && !planning
        if interactive { options.progress = { OutputDestination.standardError.showLive($0) } }
        defer { if interactive { OutputDestination.standardError.clearLive() } }
        // Waits hear of each stop on the session's notification channel, and poll when there is none.
        if !planning, !options.dryRun { options.notifications = try await org.notificationChannel() }
        options.warn = { OutputDestination.standardError.write(TerminalText.escaped("warning: " + $0) + "\n") }
        let total = subjects.count
        let results: [TransitionResult]
        do {
            results = try await BulkRun(engine: try await engine(), parallel: parallel, rateLimit: try org.rateLimit)
                .run(
                    verb, subjects, options: options,
                    progress: { done, _ in
                        if interactive, total > 1 {
                            OutputDestination.standardError.showLive("\(verb.rawValue): \(done) of \(total) done")
                        }
                    }
                )
        } catch is CancellationError {
            if interactive { OutputDestination.standardError.clearLive() }
            note("stopped waiting; campaigns already changed stay as they are (a pause may still be stopping)")
            throw CancellationError()
        }
        if interactive { OutputDestination.standardError.clearLive() }
        try report(results, overrides: options.overrides, reason: options.reason)
    }
}

/// `--override agents,capacity,lines --reason "…"`.
struct OverrideArguments: ParsableArguments {
    @Option(
        help:
            "Pre-flight checks to bypass: list, dnc, sequence, agents, lines, capacity, or errors when they cannot be read (comma-separated)."
    )
    var override: String?
    @Option(help: "Why the checks are bypassed (audited; at least 3 characters).") var reason: String?

    var checks: Swift.Set<PreflightCheck.Name> {
        Swift.Set(
            (override ?? "").split(separator: ",").compactMap {
                PreflightCheck.Name(rawValue: String($0).trimmingCharacters(in: .whitespaces))
            })
    }

    func validate() throws {
        guard let override else {
            if reason != nil { throw ValidationError("--reason goes with --override") }
            return
        }
        for name in override.split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) {
            guard let check = PreflightCheck.Name(rawValue: name), PreflightCheck.Name.overridable.contains(check)
            else {
                let names = PreflightCheck.Name.overridable.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("cannot override '\(name)'; overridable checks: \(names)")
            }
        }
        guard let reason, reason.trimmingCharacters(in: .whitespaces).count >= 3 else {
            throw ValidationError("--override needs --reason \"…\" (at least 3 characters)")
        }
    }
}

struct Activate: ShellCommand {
    static let isMutating = true
    static let configuration = CommandConfiguration(
        commandName: "activate",
        abstract: "Turn campaigns on after the pre-flight checks (agents, lines, capacity, errors).",
        discussion: "Example: activate Q4_Renewals --min-agents 5; activate --all --name 'Q4_*' --yes")
    @OptionGroup var arguments: TransitionArguments
    @OptionGroup var overrides: OverrideArguments
    @Option(
        name: .customLong("min-agents"),
        help: "Idle on-queue agents required (default: the profile's min_agents, else 1).")
    var minAgents: Int?
    @Option(
        help:
            "How to turn it on: put (PUT with the version the pre-flight saw; needs outbound:campaign:edit) or start (POST …/start; needs only outbound:campaign:start)."
    )
    var via: ActivationRequest = .put
    @Flag(help: "Wait until the dialer has it on (heard on the notification channel).") var wait = false
    @Option(help: "With --wait: how long (e.g. 90s, 5m; default 5m); past it the command exits 3.")
    var timeout: DurationArgument?

    func validate() throws {
        if timeout != nil, !wait { throw ValidationError("--timeout goes with --wait") }
    }

    enum ActivationRequest: String, ExpressibleByArgument, CaseIterable {
        case put, start
    }

    func run(in context: CommandContext) async throws {
        try await context.transition(.activate, arguments.selection, confirmIf: false) { options in
            options.overrides = overrides.checks
            options.reason = overrides.reason
            options.viaStart = via == .start
            options.waitForStart = wait
            if let timeout { options.timeout = timeout.duration }
            if let minAgents { options.minAgents = minAgents }
        }
    }
}

struct Pause: ShellCommand {
    static let isMutating = true
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract:
            "Stop campaigns (no version needed, never refused while running) and wait until they are not dialing.",
        discussion: "Example: pause --all --queue 'Sales Outbound' --status on --yes --timeout 10m"
    )
    @OptionGroup var arguments: TransitionArguments
    @Flag(name: .customLong("no-wait"), help: "Return while the campaign is still stopping.") var noWait = false
    @Flag(
        help: """
            Also keep it off: delete its schedule and take it out of the rules that turn it on (each kept for \
            'release'); says what it cannot hold, such as a running sequence.
            """)
    var hold = false
    @Option(help: "How long to wait for off (e.g. 90s, 5m; at most 30 days); past it the command exits 3.")
    var timeout =
        DurationArgument(.seconds(300))

    func run(in context: CommandContext) async throws {
        try await context.transition(.pause, arguments.selection, confirmIf: false, hold: hold) { options in
            options.wait = !noWait
            options.timeout = timeout.duration
        }
    }
}

struct Archive: ShellCommand {
    static let isMutating = true
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Pause if needed, keep the campaign's settings in the local archive, delete it from Genesys.",
        discussion: "Example: archive Collections_60day --yes")
    @OptionGroup var arguments: TransitionArguments
    @Option(help: "How long to wait for a running campaign to stop (at most 30 days).") var timeout = DurationArgument(
        .seconds(300))

    func run(in context: CommandContext) async throws {
        try await context.transition(.archive, arguments.selection, confirmIf: true) { $0.timeout = timeout.duration }
    }
}

struct Recycle: ShellCommand {
    static let isMutating = true
    static let configuration = CommandConfiguration(
        commandName: "recycle",
        abstract: "Reset a paused or complete campaign's progress: it dials its list from the start.",
        discussion: "Example: recycle Leads_Webform --yes")
    @OptionGroup var arguments: TransitionArguments

    func run(in context: CommandContext) async throws {
        try await context.transition(.recycle, arguments.selection, confirmIf: true)
    }
}

struct Transition: ShellCommand {
    static let isMutating = true
    static let configuration = CommandConfiguration(
        commandName: "transition", abstract: "Move a campaign to a lifecycle state: active, paused, archived or draft.",
        discussion: "Example: transition Q4_Renewals paused")
    @Argument(help: "The campaign's id or name.") var campaign: String
    @Argument(help: "active, paused, archived or draft.") var state: String
    @Flag(name: .customLong("dry-run"), help: "Print the requests instead of sending them.") var dryRun = false
    @Flag(help: "Do not ask for confirmation.") var yes = false

    func run(in context: CommandContext) async throws {
        guard let lifecycle = Lifecycle(rawValue: state), let verb = Verb(reaching: lifecycle) else {
            throw ShellError.usage("cannot move a campaign to '\(state)'; use active, paused, archived or draft")
        }
        let selection = Selection(campaigns: [campaign], dryRun: dryRun, yes: yes)
        try await context.transition(verb, selection, confirmIf: verb == .archive || verb == .recycle)
    }
}

struct Release: ShellCommand {
    static let isMutating = true
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Undo 'pause --hold': create its schedule again and give back the rules' turn-on actions.",
        discussion: "It leaves the campaign off: turn it on with 'activate'. Example: release Q4_Promo_East")
    @Argument(help: "The campaign's id or name (the current one by default).") var campaign: String?

    func run(in context: CommandContext) async throws {
        let engine = try await context.engine()
        let found = try await context.selectedCampaigns(
            Selection(campaigns: campaign.map { [$0] } ?? []), client: engine.client)
        guard let target = found.first, let id = target.id else { throw ShellError.failure("no campaign matches") }
        guard let audit = context.components.get(AuditLog.self) else {
            throw ShellError.failure("release needs the audit store, which keeps what the hold changed")
        }
        if engine.client.plan != nil {
            let holds = try audit.store().holds(of: id)
            return context.note(
                "would release \(holds.count) hold\(holds.count == 1 ? "" : "s") of \(target.name ?? id)")
        }
        var entry = AuditEntry(
            actor: engine.actor, session: engine.session, command: context.commandText, campaignID: id,
            campaignName: target.name, verb: "release", outcome: .success)
        entry.fromStatus = target.campaignStatus?.rawValue
        entry.toStatus = entry.fromStatus
        let (lines, failed) = try await HoldPlan.release(
            campaignID: id, client: engine.client, audit: audit, entry: entry)
        if lines.isEmpty { context.note("\(target.name ?? id) has no hold to release") }
        for line in lines { context.note("\(target.name ?? id): \(line)") }
        if failed {
            throw ShellError.failure("not every hold of \(target.name ?? id) was released", hint: "see the lines above")
        }
    }
}

struct Restore: ShellCommand {
    static let isMutating = true
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Create an archived campaign again (off, with a new id), by its old id or name.",
        discussion: "Example: restore Collections_60day")
    @Argument(help: "The archived campaign's old id or name.") var campaign: String
    @Flag(name: .customLong("dry-run"), help: "Print the request instead of sending it.") var dryRun = false
    @Flag(help: "Do not ask before pointing its schedule, rules and sequences at the new id.") var yes = false

    func run(in context: CommandContext) async throws {
        let store = try context.components.require(AuditLog.self).store()
        let stored = try store.archives()
        let archives = try await context.org.plan?.archives(stored) ?? stored
        let candidates = archives.filter { ($0.campaignID == campaign || $0.name == campaign) && $0.restoredAs == nil }
        guard let archived = candidates.last else {
            throw ShellError.failure("no archived campaign '\(campaign)' left to restore", hint: "see 'archives'")
        }
        var options = TransitionOptions()
        let sessionDryRun = await context.session.dryRun
        let planning = try await context.org.plan != nil
        options.dryRun = dryRun || (sessionDryRun && !planning)
        options.command = context.commandText
        let links = try store.holds(of: archived.campaignID, purpose: .archive)
        if !links.isEmpty {
            let named = links.map { "\($0.kind.rawValue) \($0.entityID)" }.joined(separator: ", ")
            context.note("restore \(archived.name) points these at its new id: \(named)")
            if !options.dryRun, !planning {
                try await context.confirm("restore and re-point", campaigns: [], assumeYes: yes, subject: archived.name)
            }
        }
        try await context.perform(.restore, [.archived(archived)], options: options)
        guard !options.dryRun, !planning, !links.isEmpty,
            let newID = try store.archives().first(where: { $0.id == archived.id })?.restoredAs
        else { return }
        let engine = try await context.engine()
        let entry = AuditEntry(
            actor: engine.actor, session: engine.session, command: context.commandText, campaignName: archived.name,
            verb: "restore", outcome: .success)
        for line in try await CampaignLinks.repoint(
            from: archived.campaignID, to: newID, client: engine.client, store: store, entry: entry)
        {
            context.note("\(archived.name): \(line)")
        }
    }
}

struct Archives: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "archives", abstract: "List the archived campaigns.",
        discussion: "Example: archives --format csv > archives.csv")

    func run(in context: CommandContext) async throws {
        let archives = try context.components.require(AuditLog.self).store().archives()
        context.emit(
            .table(
                Table(
                    columns: [
                        "name", Column("campaignId", title: "old id"), Column("archivedAt", title: "archived"),
                        Column("restoredAs", title: "restored as"),
                    ],
                    rows: archives.map {
                        [
                            .text($0.name), .text($0.campaignID),
                            .text($0.archivedAt.formatted(Date.ISO8601FormatStyle())), Cell($0.restoredAs),
                        ]
                    }
                )))
    }
}
