import AuditStore
import Foundation
import GenesysCloud
import JSONDocument

/// What `pause --hold` changes so that a paused campaign stays off, touching nothing it does to any
/// other campaign: its schedule is deleted (kept for `release`); a rule that turns it on loses it from
/// that action, or is disabled when it turns on nothing else; a sequence that is off but that a schedule
/// or rule can start loses it from its campaigns. A running sequence is not changed (Genesys recreates a
/// sequence edited while on): the hold says so instead, and what it would affect.
public struct HoldPlan: Sendable {
    public enum Step: Sendable {
        case deleteSchedule(CampaignSchedule)
        /// The rule as it is, and as it will be.
        case editRule(before: CampaignRule, after: CampaignRule, change: String, done: String)
        /// The sequence as it is, and without the campaign.
        case editSequence(before: CampaignSequence, after: CampaignSequence)
    }

    public var campaignID: String
    public var steps: [Step] = []
    /// What the hold cannot keep from turning the campaign on, and why.
    public var cannot: [String] = []

    public init(holding campaign: Campaign, drivers: OrgDrivers, at now: Date = Date()) {
        let id = campaign.id ?? ""
        campaignID = id
        let name = campaign.name ?? id
        if let schedule = drivers.schedule(of: id) { steps.append(.deleteSchedule(schedule)) }
        for (rule, actions) in drivers.rules(actingOn: id) where actions.contains(where: { $0.type == Self.turnOn }) {
            let ruleName = "'\(rule.name ?? rule.id ?? "?")'"
            if actions.contains(where: { $0.type == Self.turnOn && $0.onTriggeringEntity && !$0.campaigns.contains(id) }
            ) {
                let others = rule.triggeringCampaigns.filter { $0 != id }
                guard others.isEmpty else {
                    cannot.append(
                        "the rule \(ruleName) turns on whichever of its campaigns triggers it, \(name) among "
                            + "\(others.count) others: taking \(name) out would change it for them; edit it by hand")
                    continue
                }
            }
            steps.append(Self.takenOut(id, of: rule, named: ruleName))
        }
        for sequence in drivers.runningSequences(holding: id) {
            let others = sequence.campaigns.count - 1
            cannot.append(
                "the running sequence '\(sequence.name ?? sequence.id ?? "?")' starts it in its turn; campaignsh "
                    + "does not edit a running sequence (Genesys recreates it), and stopping it would stop its "
                    + "\(others) other campaign\(others == 1 ? "" : "s"): stop it, or take \(name) out of it, by hand")
        }
        for sequence in drivers.startableSequences(holding: id, at: now) {
            guard sequence.campaigns.count > 1 else {
                cannot.append(
                    "the sequence '\(sequence.name ?? sequence.id ?? "?")' can be started and \(name) is its only "
                        + "campaign: a sequence cannot be left empty; remove its schedule or rule by hand")
                continue
            }
            steps.append(.editSequence(before: sequence, after: sequence.without(id)))
        }
    }

    static let turnOn = "turnOnCampaign"

    /// The rule without `campaignID` in its turn-on actions; disabled instead when those actions turned
    /// on nothing else and it has no other action.
    static func takenOut(_ campaignID: String, of rule: CampaignRule, named name: String) -> Step {
        var after = rule
        var kept: [JSONValue] = []
        for action in rule.document["campaignRuleActions"]?.arrayValue ?? [] {
            guard action["actionType"]?.stringValue == turnOn, var object = action.objectValue else {
                kept.append(action)
                continue
            }
            var entities = object["campaignRuleActionEntities"]?.objectValue ?? JSONObject()
            let campaigns = (entities["campaigns"]?.arrayValue ?? []).filter { $0["id"]?.stringValue != campaignID }
            // Acting on the triggering campaign turns on only this one when it is the rule's only trigger.
            let triggersOthers =
                entities["useTriggeringEntity"]?.boolValue == true && rule.triggeringCampaigns != [campaignID]
            let sequences = entities["sequences"]?.arrayValue ?? []
            if campaigns.isEmpty, sequences.isEmpty, !triggersOthers { continue }
            entities["campaigns"] = .array(campaigns)
            object["campaignRuleActionEntities"] = .object(entities)
            kept.append(.object(object))
        }
        if kept.isEmpty {
            after.document["enabled"] = false
            return .editRule(
                before: rule, after: after, change: "disable the rule \(name) (it turns on nothing else)",
                done: "disabled the rule \(name)")
        }
        after.document["campaignRuleActions"] = .array(kept)
        return .editRule(
            before: rule, after: after, change: "take it out of the turn-on action of the rule \(name)",
            done: "took it out of the turn-on action of the rule \(name)")
    }

    /// One line per change and per thing it cannot hold, for the confirmation and the plan.
    public var lines: [String] {
        steps.map { step in
            switch step {
            case .deleteSchedule(let schedule):
                "delete its schedule (\(schedule.intervals.count) window\(schedule.intervals.count == 1 ? "" : "s"); "
                    + "kept in the audit file for 'release')"
            case .editRule(_, _, let change, _): change
            case .editSequence(let before, _):
                "take it out of the sequence '\(before.name ?? before.id ?? "?")', which a schedule or rule can start"
            }
        } + cannot.map { "cannot hold: \($0)" }
    }

    /// Makes the changes, each kept in the audit file (what it was, durably) before it is sent and
    /// audited after; a plan's client sends nothing. The lines say what was done.
    public func apply(
        client: GenesysClient, audit: AuditLog?, entry: AuditEntry
    ) async throws -> [String] {
        if let plan = client.plan as? PlannedOrg {
            for step in steps {
                switch step {
                case .deleteSchedule:
                    await plan.noteChange(
                        "DELETE /api/v2/outbound/schedules/campaigns/\(campaignID)",
                        "deletes its schedule (kept for release)")
                case .editRule(let before, _, let change, _):
                    await plan.noteChange("PUT /api/v2/outbound/campaignrules/\(before.id ?? "?")", change)
                case .editSequence(let before, _):
                    await plan.noteChange(
                        "PUT /api/v2/outbound/sequences/\(before.id ?? "?")", "takes the campaign out of the sequence")
                }
            }
            return lines.map { "would \($0)" }
        }
        guard client.plan == nil else { return lines.map { "would \($0)" } }
        guard let store = try audit?.store() else {
            throw TransitionError("--hold needs the audit store, which keeps what it changed")
        }
        var done: [String] = []
        for step in steps {
            var row = entry
            switch step {
            case .deleteSchedule(let schedule):
                let held = try await store.hold(
                    campaignID: campaignID, kind: .schedule, entityID: schedule.id ?? campaignID,
                    before: JSONValue.object(schedule.document).jsonText)
                do {
                    try await client.deleteCampaignSchedule(campaignID: campaignID)
                    row.errorMessage = "deleted its schedule (hold \(held.id); 'release' recreates it)"
                } catch {
                    row.outcome = .error
                    row.errorMessage = "cannot delete its schedule: \(OrgDrivers.describe(error))"
                }
            case .editRule(let before, let after, _, let done):
                let held = try await store.hold(
                    campaignID: campaignID, kind: .rule, entityID: before.id ?? "",
                    before: JSONValue.object(before.document).jsonText)
                do {
                    try await client.replaceCampaignRule(after)
                    row.errorMessage = "\(done) (hold \(held.id); 'release' restores it)"
                } catch {
                    row.outcome = .error
                    row.errorMessage =
                        "cannot edit the rule '\(before.name ?? before.id ?? "?")': \(OrgDrivers.describe(error))"
                }
            case .editSequence(let before, let after):
                let name = "'\(before.name ?? before.id ?? "?")'"
                let held = try await store.hold(
                    campaignID: campaignID, kind: .sequence, entityID: before.id ?? "",
                    before: JSONValue.object(before.document).jsonText)
                do {
                    try await client.replaceSequence(after)
                    row.errorMessage = "took it out of the sequence \(name) (hold \(held.id); 'release' puts it back)"
                } catch {
                    row.outcome = .error
                    row.errorMessage = "cannot edit the sequence \(name): \(OrgDrivers.describe(error))"
                }
            }
            _ = try await store.append(row)
            done.append(row.errorMessage ?? "")
        }
        return done
    }
}

extension HoldPlan {
    /// `release CAMPAIGN`: undoes its holds: the schedule is created again, each rule and sequence gets
    /// back what the hold took (unless someone changed it since: then it says so and leaves it).
    public static func release(
        campaignID: String, client: GenesysClient, audit: AuditLog, entry: AuditEntry
    ) async throws -> (lines: [String], failed: Bool) {
        let store = try audit.store()
        let holds = try store.holds(of: campaignID)
        var lines: [String] = []
        var failed = false
        for held in holds {
            var row = entry
            guard let before = (try? JSONValue(parsing: held.before)) else { continue }
            do {
                switch held.kind {
                case .schedule:
                    guard var schedule = CampaignSchedule(json: before) else { continue }
                    schedule.document["version"] = nil  // a PUT without one creates it again
                    try await client.putCampaignSchedule(schedule, campaignID: campaignID)
                    row.errorMessage = "created its schedule again (hold \(held.id))"
                case .rule:
                    guard var rule = CampaignRule(json: before) else { continue }
                    let current = try await client.campaignRule(id: held.entityID).version
                    // The hold's own edit moved the version on by one; more means someone else changed it.
                    if let was = rule.version, let current, current > was + 1 {
                        row.outcome = .refused
                        row.errorMessage =
                            "the rule '\(rule.name ?? held.entityID)' changed since the hold (version \(was) → "
                            + "\(current)): left as it is; give the campaign back its turn-on action by hand"
                        failed = true
                        break
                    }
                    rule.document["version"] = current.map { JSONValue($0) } ?? .null
                    try await client.replaceCampaignRule(rule)
                    row.errorMessage = "restored the rule '\(rule.name ?? held.entityID)' (hold \(held.id))"
                case .sequence:
                    guard var sequence = CampaignSequence(json: before) else { continue }
                    let name = "the sequence '\(sequence.name ?? held.entityID)'"
                    let now = try await client.sequence(id: held.entityID)
                    // Its version moves when it is turned on or off: what matters is that its campaigns are
                    // still those the hold left.
                    guard now.campaigns == sequence.without(campaignID).campaigns else {
                        row.outcome = .refused
                        row.errorMessage =
                            "\(name) changed since the hold (its campaigns are not those the hold left): left as it "
                            + "is; put the campaign back in it by hand"
                        failed = true
                        break
                    }
                    // Where it is now: the hold kept only the campaigns as they were.
                    let current = now.currentCampaignID.flatMap { sequence.campaigns.firstIndex(of: $0) }
                    sequence.document["currentCampaign"] =
                        current.map { JSONValue($0) } ?? now.document["currentCampaign"]
                    sequence.document["status"] = now.document["status"]
                    sequence.document["version"] = now.version.map { JSONValue($0) } ?? .null
                    try await client.replaceSequence(sequence)
                    row.errorMessage = "put it back in \(name) (hold \(held.id))"
                }
                if row.outcome != .refused { try await store.markReleased(held.id) }
            } catch {
                row.outcome = .error
                row.errorMessage = "cannot release hold \(held.id): \(OrgDrivers.describe(error))"
                failed = true
            }
            _ = try await store.append(row)
            lines.append(row.errorMessage ?? "")
        }
        return (lines, failed)
    }
}
