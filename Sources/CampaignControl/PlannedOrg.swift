import AuditStore
import Foundation
import GenesysCloud
import JSONDocument

/// The org as a runbook's plan leaves it: the campaigns its changes touched, as Genesys would have them
/// after those changes, in front of the live org for everything else.
///
/// A plan runs the runbook's commands as they will run, through the same engine, with a client whose
/// changes come here instead of going to Genesys (``GenesysClient/planning(with:)``). What each change
/// does is what `docs/genesys-api.md` says the service does; where it says the service's behaviour is not
/// settled, the change is noted as uncertain so that apply checks it live.
public actor PlannedOrg: ChangePlan {
    /// A change the plan makes: the request apply will send, and what it changes.
    public struct Change: Sendable, Equatable, CustomStringConvertible {
        public let request: String
        public let effect: String
        /// Why the effect is a guess, when it is one.
        public let uncertainty: String?

        public var description: String {
            "\(request): \(effect)" + (uncertainty.map { " (not documented: \($0); checked live)" } ?? "")
        }
    }

    /// A campaign as the plan found it just before a line changed it: what apply checks again there.
    public struct Assumption: Sendable, Equatable {
        public let id: String
        public let name: String
        public let status: CampaignStatus?
        public let version: Int?
        /// Whether an earlier line of the plan changed it: its version then depends on the service.
        public let changedBefore: Bool
    }

    /// Campaigns as last read or as the plan left them.
    private var known: [String: Campaign] = [:]
    /// The ids whose `known` document is the plan's, not Genesys's.
    private var changed: Set<String> = []
    private var deleted: Set<String> = []
    private var recycled: Set<String> = []
    private var created = 0
    private var changes: [Change] = []
    private var assumptions: [Assumption] = []
    /// Campaigns changed by the lines whose changes were taken.
    private var changedByEarlierLines: Set<String> = []
    /// Snapshots the plan's archives keep (ids below zero), and which archived campaigns it restores.
    private var archived: [ArchivedCampaign] = []
    private var restored: [Int64: String] = [:]

    public init() {}

    /// The changes planned since the last call (one line's), and the campaigns as they were before them.
    public func takeChanges() -> (changes: [Change], assumptions: [Assumption]) {
        defer {
            changes = []
            changedByEarlierLines.formUnion(assumptions.map(\.id))
            assumptions = []
        }
        return (changes, assumptions)
    }

    /// What differs between `assumptions` and the campaigns as `client` reads them now, one phrase per
    /// campaign; nil when nothing does. One listing request for up to 100 campaigns.
    public static func drift(from assumptions: [Assumption], client: GenesysClient) async throws -> String? {
        let live = try await client.campaigns(CampaignQuery(ids: assumptions.map(\.id)))
        let byID = Dictionary(live.compactMap { c in c.id.map { ($0, c) } }) { first, _ in first }
        let differences = assumptions.compactMap { assumed -> String? in
            guard let now = byID[assumed.id] else { return "\(assumed.name) is gone" }
            let sameVersion = assumed.changedBefore || now.version == assumed.version
            guard now.campaignStatus != assumed.status || !sameVersion else { return nil }
            func state(_ status: CampaignStatus?, _ version: Int?) -> String {
                (status?.rawValue ?? "no status")
                    + (assumed.changedBefore ? "" : " (version \(version.map(String.init) ?? "none"))")
            }
            return
                "\(assumed.name) was \(state(assumed.status, assumed.version)) and is \(state(now.campaignStatus, now.version))"
        }
        return differences.isEmpty ? nil : differences.joined(separator: "; ")
    }

    // MARK: Reads

    public func campaign(id: String, live: @Sendable () async throws -> Campaign) async throws -> Campaign {
        if deleted.contains(id) { throw Self.notFound(id) }
        if changed.contains(id), let campaign = known[id] { return campaign }
        let campaign = try await live()
        known[id] = campaign
        return campaign
    }

    public func campaigns(_ live: [Campaign]) -> [Campaign] {
        live.compactMap { campaign in
            guard let id = campaign.id else { return campaign }
            if deleted.contains(id) { return nil }
            if changed.contains(id) { return known[id] }
            known[id] = campaign
            return campaign
        }
    }

    public func progress(_ live: CampaignProgress) -> CampaignProgress {
        guard let id = live.campaign?.id, recycled.contains(id) else { return live }
        var reset = live
        reset.numberOfContactsCalled = 0
        reset.numberOfContactsMessaged = 0
        reset.percentage = 0
        return reset
    }

    // MARK: Changes

    public func replace(_ campaign: Campaign) throws -> Campaign {
        let id = campaign.id ?? ""
        let current = try self.current(id, "PUT")
        guard campaign.version == current.version else {
            throw GenesysError(
                kind: .api, request: "PUT \(Self.route)", status: 409, code: "conflict",
                message:
                    "version \(campaign.version.map(String.init) ?? "none") is not the current \(current.version.map(String.init) ?? "none")"
            )
        }
        assume(current)
        var after = campaign
        after.document["version"] = JSONValue((campaign.version ?? 0) + 1)
        let edited = after.document.keys.filter { $0 != "version" && after.document[$0] != current.document[$0] }
        let effect = edited.map { key in
            key == "campaignStatus"
                ? "campaignStatus \(current.campaignStatus?.rawValue ?? "none") → \(after.campaignStatus?.rawValue ?? "none")"
                : "\(key) changed"
        }
        store(after)
        note(
            "PUT", id, current,
            "version \(current.version.map(String.init) ?? "?"); "
                + (effect.isEmpty ? "no change" : effect.joined(separator: ", ")))
        return after
    }

    public func start(id: String) throws {
        var after = try current(id, "POST …/start")
        assume(after)
        let before = after.campaignStatus
        after.campaignStatus = .on
        store(after)
        note("POST", id, after, "campaignStatus \(before?.rawValue ?? "none") → on", suffix: "/start")
    }

    /// Genesys answers at once and stops the campaign over the next seconds: the plan has it off, which is
    /// what the wait after a stop waits for.
    public func stop(id: String) throws {
        var after = try current(id, "POST …/stop")
        assume(after)
        let before = after.campaignStatus
        guard before == .on || before == .stopping || before == .forcedStopping else {
            throw GenesysError(
                kind: .api, request: "POST \(Self.route)/stop", status: 400, code: "invalid.campaign.status",
                message: "campaign \(after.name ?? id) is \(before?.rawValue ?? "of no status"), not running")
        }
        after.campaignStatus = .off
        store(after)
        note("POST", id, after, "campaignStatus \(before?.rawValue ?? "none") → stopping → off", suffix: "/stop")
    }

    /// A wait in the plan for a campaign whose own stop (not the plan's) is under way: the plan cannot
    /// watch it, so it assumes the stop ends `off` and says apply waits for it; the status it then has.
    public func settleStopping(id: String) -> CampaignStatus? {
        guard var campaign = known[id] else { return nil }
        let before = campaign.campaignStatus
        guard before == .stopping || before == .forcedStopping else { return before }
        campaign.campaignStatus = before == .forcedStopping ? .forcedOff : .off
        store(campaign)
        note(
            "GET", id, campaign,
            "campaignStatus \(before?.rawValue ?? "?") → \(campaign.campaignStatus?.rawValue ?? "off") "
                + "(a stop already under way; apply waits for it)")
        return campaign.campaignStatus
    }

    /// Genesys refuses to delete a campaign that runs.
    public func delete(id: String) throws -> Campaign? {
        let current = try current(id, "DELETE")
        assume(current)
        if current.campaignStatus?.occupiesActiveSlot == true {
            throw GenesysError(
                kind: .api, request: "DELETE \(Self.route)", status: 400, code: "campaign.running",
                message: "campaign \(current.name ?? id) is \(current.campaignStatus?.rawValue ?? "running")")
        }
        deleted.insert(id)
        note("DELETE", id, current, "deleted")
        return current
    }

    public func recycle(id: String) throws {
        var after = try current(id, "DELETE …/progress")
        assume(after)
        recycled.insert(id)
        let before = after.campaignStatus
        var uncertainty: String?
        if before == .complete {
            // docs/genesys-api.md: what a recycle does to a complete campaign's status is not settled.
            after.campaignStatus = .off
            uncertainty = "what a recycle does to a complete campaign's status; planned as off"
        }
        store(after)
        let effect =
            "progress reset"
            + (before == after.campaignStatus ? "" : ", campaignStatus \(before?.rawValue ?? "none") → off")
        note("DELETE", id, after, effect, suffix: "/progress", uncertainty: uncertainty)
    }

    /// Genesys creates campaigns `off`, with an id of its own: the plan's is `planned-N`.
    public func create(_ campaign: Campaign) -> Campaign {
        created += 1
        var after = campaign
        after.id = "planned-\(created)"
        after.document["version"] = JSONValue(1)
        after.campaignStatus = .off
        store(after)
        changes.append(
            Change(
                request: "POST \(Self.collection) (\(campaign.name ?? "unnamed"))", effect: "created off",
                uncertainty: nil))
        return after
    }

    // MARK: The archive

    /// What archiving keeps before it deletes: here, in the plan, not in the audit store.
    public func keepSnapshot(of campaign: Campaign) {
        let id = campaign.id ?? ""
        archived.append(
            ArchivedCampaign(
                id: -Int64(archived.count + 1), campaignID: id, name: campaign.name ?? id,
                snapshot: campaign.json.jsonText, archivedAt: Date()))
    }

    /// The archive as the plan leaves it: `stored` and the plan's own, with the plan's restores.
    public func archives(_ stored: [ArchivedCampaign]) -> [ArchivedCampaign] {
        (stored + archived).map { archive in
            var planned = archive
            if let newID = restored[archive.id] { planned.restoredAs = newID }
            return planned
        }
    }

    public func markRestored(_ id: Int64, as newID: String) {
        restored[id] = newID
    }

    // MARK: Helpers

    private static let collection = "/api/v2/outbound/campaigns"
    private static let route = collection + "/{campaignId}"

    /// The campaign as the plan has it: the engine always reads a campaign before it changes it.
    private func current(_ id: String, _ request: String) throws -> Campaign {
        if deleted.contains(id) { throw Self.notFound(id) }
        guard let campaign = known[id] else {
            throw GenesysError(
                kind: .invalidResponse, request: request, message: "the plan changes campaign \(id) before reading it")
        }
        return campaign
    }

    private func store(_ campaign: Campaign) {
        guard let id = campaign.id else { return }
        known[id] = campaign
        changed.insert(id)
    }

    /// A change to what else drives a campaign (a schedule, a rule): planned as it is described, since the
    /// plan keeps no copy of those.
    public func noteChange(_ request: String, _ effect: String) {
        changes.append(Change(request: request, effect: effect, uncertainty: nil))
    }

    private func note(
        _ method: String, _ id: String, _ campaign: Campaign, _ effect: String, suffix: String = "",
        uncertainty: String? = nil
    ) {
        let request = "\(method) \(Self.collection)/\(id)\(suffix) (\(campaign.name ?? id))"
        changes.append(Change(request: request, effect: effect, uncertainty: uncertainty))
    }

    /// The campaign as it is before a change of the current line, if the line has not changed it yet.
    private func assume(_ campaign: Campaign) {
        guard let id = campaign.id, !assumptions.contains(where: { $0.id == id }) else { return }
        assumptions.append(
            Assumption(
                id: id, name: campaign.name ?? id, status: campaign.campaignStatus, version: campaign.version,
                changedBefore: changedByEarlierLines.contains(id)))
    }

    private static func notFound(_ id: String) -> GenesysError {
        GenesysError(
            kind: .api, request: "GET \(route)", status: 404, code: "not.found",
            message: "campaign \(id) is deleted by an earlier line of the plan")
    }
}
