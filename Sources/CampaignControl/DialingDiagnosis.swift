import Foundation
import GenesysCloud

/// What else drives the org's campaigns, read once for a command over many: schedules, rules and
/// sequences. What could not be read is kept as a line, so a diagnosis says what it could not check.
public struct OrgDrivers: Sendable {
    public var schedules: [CampaignSchedule] = []
    public var rules: [CampaignRule] = []
    public var sequences: [CampaignSequence] = []
    public var unreadable: [String] = []

    public init(schedules: [CampaignSchedule] = [], rules: [CampaignRule] = [], sequences: [CampaignSequence] = []) {
        self.schedules = schedules
        self.rules = rules
        self.sequences = sequences
    }

    /// The three listings, each read once.
    public static func read(_ client: GenesysClient) async -> OrgDrivers {
        var drivers = OrgDrivers()
        do { drivers.schedules = try await client.campaignSchedules() } catch {
            drivers.unreadable.append("schedules: \(Self.describe(error))")
        }
        do { drivers.rules = try await client.campaignRules() } catch {
            drivers.unreadable.append("campaign rules: \(Self.describe(error))")
        }
        do { drivers.sequences = try await client.sequences() } catch {
            drivers.unreadable.append("sequences: \(Self.describe(error))")
        }
        return drivers
    }

    public static func describe(_ error: any Error) -> String {
        (error as? GenesysError)?.shortDescription ?? "\(error)"
    }

    public func schedule(of campaignID: String) -> CampaignSchedule? {
        schedules.first { ($0.campaign?.id ?? $0.id) == campaignID }
    }

    /// The enabled rules with an action on the campaign, and those actions.
    public func rules(actingOn campaignID: String) -> [(rule: CampaignRule, actions: [CampaignRule.Action])] {
        rules.filter(\.enabled).compactMap { rule in
            let actions = rule.actions(on: campaignID)
            return actions.isEmpty ? nil : (rule, actions)
        }
    }

    /// The sequences that are `on` and hold the campaign.
    public func runningSequences(holding campaignID: String) -> [CampaignSequence] {
        sequences.filter { $0.status == "on" && $0.campaigns.contains(campaignID) }
    }

    /// The window of the campaign's schedule open at `now`, or else the next one.
    public func window(of campaignID: String, at now: Date) -> (open: Bool, start: Date, end: Date)? {
        guard let schedule = schedule(of: campaignID) else { return nil }
        let windows = schedule.intervals.compactMap { $0.dates(in: schedule.timeZone) }.sorted { $0.start < $1.start }
        if let open = windows.first(where: { $0.start <= now && now < $0.end }) { return (true, open.start, open.end) }
        return windows.first { $0.start > now }.map { (false, $0.start, $0.end) }
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
        where actions.contains(where: { $0.type == "turnOnCampaign" }) {
            lines.append("the enabled rule '\(rule.name ?? rule.id ?? "?")' turns it on when its conditions hold")
        }
        for sequence in runningSequences(holding: campaignID) {
            lines.append("the running sequence '\(sequence.name ?? sequence.id ?? "?")' starts it in its turn")
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
        /// `list-expired`, `list-exhausted`, `dnc-import-failed`, `no-agents`, `sequence`, `rule`,
        /// `schedule-open`, `schedule-next`, `unreadable`.
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
    public var changes: [StatusChangeRecord] = []

    /// On, and nothing found that keeps it from placing calls.
    public var isDialing: Bool { campaign.campaignStatus == .on && !reasons.contains(where: \.blocks) }

    /// Off while its schedule's window is open, or on and not placing calls: what `why --all` lists.
    public var shouldDialButDoesNot: Bool {
        guard !isDialing else { return false }
        if campaign.campaignStatus == .on { return true }
        return reasons.contains { $0.code == "schedule-open" }
    }

    /// Reads what it needs for `campaign` (its list, DNC lists, callable time set, progress, agents) and
    /// checks it against `drivers`, read once by the caller.
    public static func diagnose(
        _ campaign: Campaign, drivers: OrgDrivers, client: GenesysClient, now: Date = Date(),
        counts: PreflightCounts = PreflightCounts()
    ) async -> DialingDiagnosis {
        var diagnosis = DialingDiagnosis(campaign: campaign)
        func add(_ code: String, _ text: String, blocks: Bool) {
            diagnosis.reasons.append(Reason(code: code, text: text, blocks: blocks))
        }
        let id = campaign.id ?? ""
        switch campaign.campaignStatus {
        case .on?: break
        case .complete?: add("status", "it is complete: every contact was dialed (recycle to dial again)", blocks: true)
        case let status?: add("status", "its status is \(status.rawValue)", blocks: true)
        case nil: add("status", "its status cannot be read", blocks: true)
        }
        for error in campaign.errors ?? [] { add("errors", "error: \(error.summary)", blocks: true) }

        if let setID = campaign.callableTimeSet?.id {
            do {
                let set = try await client.callableTimeSet(id: setID)
                let (callable, next) = set.callable(at: now)
                if !callable {
                    let when =
                        next.map { next -> String in
                            let zone = TimeZone(identifier: next.slot.timeZone) ?? .gmt
                            return "; its next window opens \(OrgDrivers.time(next.start, zone: zone))"
                        } ?? "; it has no window"
                    add("callable-hours", "outside its callable hours (\(set.name ?? setID))\(when)", blocks: true)
                }
            } catch {
                add("unreadable", "callable time set \(setID): \(OrgDrivers.describe(error))", blocks: false)
            }
        }
        if let listID = campaign.contactList?.id {
            do {
                let list = try await client.contactList(id: listID)
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
            } catch {
                add("unreadable", "contact list \(listID): \(OrgDrivers.describe(error))", blocks: false)
            }
            if let progress = try? await client.progress(ofCampaign: id), let total = progress.totalNumberOfContacts,
                total > 0, let called = progress.numberOfContactsCalled, called >= total
            {
                add("list-exhausted", "every contact was called (\(called) of \(total))", blocks: true)
            }
        }
        for dnc in campaign.dncLists {
            guard let dncID = dnc.id else { continue }
            if let status = try? await client.dncListImportStatus(id: dncID), status.hasFailed {
                let name = dnc.name ?? dncID
                add(
                    "dnc-import-failed",
                    "DNC list '\(name)' failed to import: \(status.failureReason ?? "no reason given")", blocks: true)
            }
        }
        if campaign.dialingMode != .agentless, let queueID = campaign.queue?.id {
            let preflight = Preflight(client: client)
            if case .success(let idle) = await counts.idleAgents(queueID, preflight), idle == 0 {
                add(
                    "no-agents", "no idle agents on queue '\(campaign.queue?.name ?? queueID)'",
                    blocks: campaign.campaignStatus == .on)
            }
        }
        for sequence in drivers.runningSequences(holding: id) {
            let position = (sequence.campaigns.firstIndex(of: id) ?? 0) + 1
            let current = sequence.currentCampaignID == id
            add(
                "sequence",
                "the running sequence '\(sequence.name ?? sequence.id ?? "?")' owns it (campaign \(position) of "
                    + "\(sequence.campaigns.count)\(current ? ", running now" : ", started in its turn"))",
                blocks: false)
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
        return diagnosis
    }
}
