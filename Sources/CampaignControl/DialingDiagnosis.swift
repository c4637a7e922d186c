import Foundation
import GenesysCloud

/// What else drives the org's campaigns, read once for a command over many: campaign and sequence
/// schedules, rules and sequences (and, for `why`, the newest dialer events). What could not be read is
/// kept as a line, so a diagnosis says what it could not check.
public struct OrgDrivers: Sendable {
    public var schedules: [CampaignSchedule] = []
    public var sequenceSchedules: [SequenceSchedule] = []
    public var rules: [CampaignRule] = []
    public var sequences: [CampaignSequence] = []
    public var events: [DialerEvent] = []
    public var unreadable: [String] = []

    public init(
        schedules: [CampaignSchedule] = [], sequenceSchedules: [SequenceSchedule] = [], rules: [CampaignRule] = [],
        sequences: [CampaignSequence] = []
    ) {
        self.schedules = schedules
        self.sequenceSchedules = sequenceSchedules
        self.rules = rules
        self.sequences = sequences
    }

    /// The listings, read at once, each once (sequence schedules only when the org has sequences); and
    /// the newest dialer events when `events`. A listing answered 404 is empty: an org (or a Genesys-like
    /// service) without that feature has none.
    public static func read(_ client: GenesysClient, events: Bool = false) async -> OrgDrivers {
        async let schedules = listing { try await client.campaignSchedules() }
        async let rules = listing { try await client.campaignRules() }
        async let sequences = listing { try await client.sequences() }
        async let dialerEvents = events ? listing { try await client.dialerEvents() } : .success([])
        let sequenceSchedules: Result<[SequenceSchedule], PreflightReadError> =
            (try? await sequences.get().isEmpty) == false
            ? await listing { try await client.sequenceSchedules() } : .success([])
        var drivers = OrgDrivers()
        func keep<Value>(_ result: Result<[Value], PreflightReadError>, _ what: String) -> [Value] {
            switch result {
            case .success(let value): return value
            case .failure(let error):
                drivers.unreadable.append("\(what): \(error.message)")
                return []
            }
        }
        drivers.schedules = keep(await schedules, "schedules")
        drivers.sequenceSchedules = keep(sequenceSchedules, "sequence schedules")
        drivers.rules = keep(await rules, "campaign rules")
        drivers.sequences = keep(await sequences, "sequences")
        drivers.events = keep(await dialerEvents, "dialer events")
        return drivers
    }

    private static func listing<Element>(_ read: () async throws -> [Element]) async
        -> Result<[Element], PreflightReadError>
    {
        do {
            return .success(try await read())
        } catch let error as GenesysError where error.status == 404 {
            return .success([])
        } catch {
            return .failure(PreflightReadError(message: describe(error)))
        }
    }

    public static func describe(_ error: any Error) -> String {
        (error as? GenesysError)?.shortDescription ?? "\(error)"
    }

    public func schedule(of campaignID: String) -> CampaignSchedule? {
        schedules.first { ($0.campaign?.id ?? $0.id) == campaignID }
    }

    public func schedule(ofSequence sequenceID: String) -> SequenceSchedule? {
        sequenceSchedules.first { ($0.sequence?.id ?? $0.id) == sequenceID }
    }

    /// The sequences that hold the campaign and have not completed.
    public func sequences(holding campaignID: String) -> [CampaignSequence] {
        sequences.filter { $0.status != "complete" && $0.campaigns.contains(campaignID) }
    }

    /// The enabled rules with an action on the campaign (directly or through a sequence that holds it),
    /// and those actions.
    public func rules(actingOn campaignID: String) -> [(rule: CampaignRule, actions: [CampaignRule.Action])] {
        let owners = Set(sequences(holding: campaignID).compactMap(\.id))
        return rules.filter(\.enabled).compactMap { rule in
            let actions = rule.actions(on: campaignID, throughSequences: owners)
            return actions.isEmpty ? nil : (rule, actions)
        }
    }

    /// The sequences that are `on` and hold the campaign.
    public func runningSequences(holding campaignID: String) -> [CampaignSequence] {
        sequences.filter { $0.status == "on" && $0.campaigns.contains(campaignID) }
    }

    /// The sequences that are off, hold the campaign, and that a schedule or an enabled rule can turn on.
    public func startableSequences(holding campaignID: String, at now: Date) -> [CampaignSequence] {
        sequences(holding: campaignID).filter { sequence in
            guard sequence.status != "on", let id = sequence.id else { return false }
            return schedule(ofSequence: id)?.window(at: now) != nil
                || rules.contains { rule in
                    rule.enabled && rule.actions.contains { $0.type == "turnOnSequence" && $0.sequences.contains(id) }
                }
        }
    }

    /// The window of the campaign's schedule open at `now`, or else the next one.
    public func window(of campaignID: String, at now: Date) -> (open: Bool, start: Date, end: Date)? {
        schedule(of: campaignID)?.window(at: now)
    }

    /// What will turn a campaign on again after it is paused at `now`, one line each: for `pause`'s warning.
    public func comebacks(of campaignID: String, at now: Date) -> [String] {
        var lines: [String] = []
        if let window = window(of: campaignID, at: now) {
            lines.append(
                window.open
                    ? "its schedule's window is open until \(Self.time(window.end)): Genesys may turn it on again"
                    : "its schedule turns it on at \(Self.time(window.start))")
        }
        for (rule, actions) in rules(actingOn: campaignID)
        where actions.contains(where: { ["turnOnCampaign", "turnOnSequence"].contains($0.type) }) {
            lines.append("the enabled rule '\(rule.name ?? rule.id ?? "?")' turns it on when its conditions hold")
        }
        for sequence in runningSequences(holding: campaignID) {
            lines.append("the running sequence '\(sequence.name ?? sequence.id ?? "?")' starts it in its turn")
        }
        for sequence in sequences(holding: campaignID) where sequence.status != "on" {
            guard let window = sequence.id.flatMap(schedule(ofSequence:))?.window(at: now) else { continue }
            lines.append(
                "the schedule of the sequence '\(sequence.name ?? sequence.id ?? "?")' "
                    + (window.open
                        ? "is open until \(Self.time(window.end))" : "starts it at \(Self.time(window.start))")
                    + ": the sequence starts it in its turn")
        }
        return lines
    }

    /// `2026-12-01 08:00 UTC`: an instant as an admin reads it.
    public static func time(_ date: Date, zone: TimeZone = .gmt) -> String {
        var style = Date.VerbatimFormatStyle(
            format:
                "\(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)",
            timeZone: zone, calendar: Calendar(identifier: .gregorian))
        style.locale = Locale(identifier: "en_US_POSIX")
        return date.formatted(style) + " " + (zone.identifier == "GMT" ? "UTC" : zone.identifier)
    }
}

/// Why a campaign is or is not dialing: every reason found, each with a stable code for scripts.
public struct DialingDiagnosis: Sendable {
    public struct Reason: Sendable, Equatable {
        /// `status`, `errors`, `callable-hours`, `list-importing`, `list-import-failed`, `list-empty`,
        /// `list-expired`, `list-exhausted`, `dnc-import-failed`, `no-agents`, `sequence`,
        /// `sequence-schedule`, `sequence-schedule-open`, `rule`, `rule-set`, `schedule-open`,
        /// `schedule-next`, `unreadable`.
        public var code: String
        public var text: String
        /// Keeps an `on` campaign from placing calls (the others explain, or say what will act).
        public var blocks: Bool

        /// What could not be checked, and why.
        public static func unreadable(_ what: String, _ error: any Error) -> Reason {
            Reason(code: "unreadable", text: "\(what): \(OrgDrivers.describe(error))", blocks: false)
        }
    }

    public var campaign: Campaign
    public var reasons: [Reason] = []
    /// The dialer's warnings and errors about the campaign, its contact list or its DNC lists, newest first.
    public var events: [DialerEvent] = []
    public var changes: [StatusChangeRecord] = []

    /// On, and nothing found that keeps it from placing calls.
    public var isDialing: Bool { campaign.campaignStatus == .on && !reasons.contains(where: \.blocks) }

    /// Off while its schedule's window (or its sequence's, whose current campaign it is) is open, or on
    /// and not placing calls: what `why --all` lists.
    public var shouldDialButDoesNot: Bool {
        guard !isDialing else { return false }
        if campaign.campaignStatus == .on { return true }
        return reasons.contains { ["schedule-open", "sequence-schedule-open"].contains($0.code) }
    }

    /// Reads what it needs for `campaign` (its diagnostics, list, DNC lists, callable time set; progress
    /// and agents where Genesys gives no diagnostics) through `counts`, shared by a command over many
    /// campaigns, and checks it against `drivers`, read once by the caller.
    public static func diagnose(
        _ campaign: Campaign, drivers: OrgDrivers, client: GenesysClient, now: Date = Date(),
        counts: PreflightCounts = PreflightCounts()
    ) async -> DialingDiagnosis {
        var diagnosis = DialingDiagnosis(campaign: campaign)
        func add(_ code: String, _ text: String, blocks: Bool) {
            diagnosis.reasons.append(Reason(code: code, text: text, blocks: blocks))
        }
        let id = campaign.id ?? ""
        let isOn = campaign.campaignStatus == .on
        switch campaign.campaignStatus {
        case .on?: break
        case .complete?: add("status", "it is complete: every contact was dialed (recycle to dial again)", blocks: true)
        case let status?: add("status", "its status is \(status.rawValue)", blocks: true)
        case nil: add("status", "its status cannot be read", blocks: true)
        }
        let errors = (campaign.errors ?? []).map(\.summary)
        for error in errors { add("errors", "error: \(error)", blocks: true) }
        // Genesys's diagnostics, when it serves them, give progress, idle agents and current errors at once.
        let diagnostics = id.isEmpty ? nil : try? await client.diagnostics(ofCampaign: id)
        for error in (diagnostics?.errors ?? []).map(\.summary) where !errors.contains(error) {
            add("errors", "error: \(error)", blocks: true)
        }

        if let setID = campaign.callableTimeSet?.id {
            switch await counts.callableTimeSet(setID, client) {
            case .success(let set):
                let (callable, next) = set.callable(at: now)
                if !callable {
                    let when =
                        next.map { next -> String in
                            let zone = TimeZone(identifier: next.slot.timeZone) ?? .gmt
                            return "; its next window opens \(OrgDrivers.time(next.start, zone: zone))"
                        } ?? "; it has no window"
                    add("callable-hours", "outside its callable hours (\(set.name ?? setID))\(when)", blocks: true)
                }
            case .failure(let error):
                add("unreadable", "callable time set \(setID): \(error.message)", blocks: false)
            }
        }
        if let listID = campaign.contactList?.id {
            switch await counts.contactList(listID, client) {
            case .success(let list):
                let name = list.name ?? campaign.contactList?.name ?? listID
                if let status = list.importStatus, status.isInProgress {
                    add(
                        "list-importing",
                        "contact list '\(name)' is still importing (\(status.percentComplete ?? 0) %)", blocks: true)
                }
                if let status = list.importStatus, status.hasFailed {
                    add(
                        "list-import-failed",
                        "contact list '\(name)' failed to import: \(status.failureReason ?? "no reason given")",
                        blocks: true)
                }
                if list.size == 0 { add("list-empty", "contact list '\(name)' is empty", blocks: true) }
                if let expired = list.dateExpiration, expired <= now {
                    add("list-expired", "contact list '\(name)' expired on \(OrgDrivers.time(expired))", blocks: true)
                }
            case .failure(let error):
                add("unreadable", "contact list \(listID): \(error.message)", blocks: false)
            }
            var called = diagnostics?.numberOfContactsCalled
            var total = diagnostics?.totalNumberOfContacts
            if called == nil || total == nil, let progress = try? await client.progress(ofCampaign: id) {
                (called, total) = (progress.numberOfContactsCalled, progress.totalNumberOfContacts)
            }
            if let called, let total, total > 0, called >= total {
                add("list-exhausted", "every contact was called (\(called) of \(total))", blocks: true)
            }
        }
        for dnc in campaign.dncLists {
            guard let dncID = dnc.id else { continue }
            if case .success(let status?) = await counts.dncImportStatus(dncID, client), status.hasFailed {
                add(
                    "dnc-import-failed",
                    "DNC list '\(dnc.name ?? dncID)' failed to import: \(status.failureReason ?? "no reason given")",
                    blocks: true)
            }
        }
        if campaign.dialingMode != .agentless, let queueID = campaign.queue?.id {
            // No idle agents by the diagnostics is checked against the queue's roster, as the pre-flight
            // counts them, so that `why` and `activate` agree.
            var idle = diagnostics?.idleAgents
            if idle == nil || idle == 0,
                case .success(let members) = await counts.idleAgents(queueID, Preflight(client: client))
            {
                idle = members
            }
            if idle == 0 {
                add("no-agents", "no idle agents on queue '\(campaign.queue?.name ?? queueID)'", blocks: isOn)
            }
        }
        for warning in diagnostics?.ruleSetWarnings ?? [] { add("rule-set", warning, blocks: false) }
        for sequence in drivers.sequences(holding: id) {
            let name = "'\(sequence.name ?? sequence.id ?? "?")'"
            let position = "campaign \((sequence.campaigns.firstIndex(of: id) ?? 0) + 1) of \(sequence.campaigns.count)"
            if sequence.status == "on" {
                let current = sequence.currentCampaignID == id
                add(
                    "sequence",
                    "the running sequence \(name) owns it (\(position)\(current ? ", running now" : ", started in its turn"))",
                    blocks: false)
            } else if let window = sequence.id.flatMap(drivers.schedule(ofSequence:))?.window(at: now) {
                // Open now on this, its current campaign: the sequence should be running it.
                let due = window.open && sequence.currentCampaignID == id
                add(
                    due ? "sequence-schedule-open" : "sequence-schedule",
                    "the sequence \(name) (\(position)) is scheduled "
                        + (window.open
                            ? "now, until \(OrgDrivers.time(window.end))"
                            : "from \(OrgDrivers.time(window.start)) until \(OrgDrivers.time(window.end))")
                        + ": it starts the campaign in its turn", blocks: false)
            }
        }
        for (rule, actions) in drivers.rules(actingOn: id) {
            let verbs = actions.map(\.type).joined(separator: ", ")
            add(
                "rule",
                "the enabled rule '\(rule.name ?? rule.id ?? "?")' acts on it (\(verbs)) when its conditions hold",
                blocks: false)
        }
        if let window = drivers.window(of: id, at: now) {
            if window.open {
                add(
                    "schedule-open", "its schedule's window is open now, until \(OrgDrivers.time(window.end))",
                    blocks: false)
            } else {
                add(
                    "schedule-next",
                    "its schedule turns it on at \(OrgDrivers.time(window.start)) until \(OrgDrivers.time(window.end))",
                    blocks: false)
            }
        }
        for line in drivers.unreadable { add("unreadable", line, blocks: false) }
        let concerned = Set([id, campaign.contactList?.id].compactMap { $0 } + campaign.dncLists.compactMap(\.id))
        diagnosis.events = drivers.events.filter { $0.level != "INFO" && $0.concerns(concerned) }
        return diagnosis
    }
}
