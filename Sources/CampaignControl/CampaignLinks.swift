import AuditStore
import Foundation
import GenesysCloud
import JSONDocument

/// What names a campaign besides itself: its schedule, and the rules and sequences that reference it.
/// An archive keeps them (in the audit file, with the campaign's snapshot) and a restore points them at
/// the new id, so that archive and restore leave the campaign whole.
public struct CampaignLinks: Sendable {
    public var schedule: CampaignSchedule?
    public var rules: [CampaignRule] = []
    public var sequences: [CampaignSequence] = []

    public init(of campaignID: String, in drivers: OrgDrivers) {
        schedule = drivers.schedule(of: campaignID)
        rules = drivers.rules.filter { $0.names(campaignID) }
        sequences = drivers.sequences.filter { $0.campaigns.contains(campaignID) }
    }

    public var isEmpty: Bool { schedule == nil && rules.isEmpty && sequences.isEmpty }

    /// One line each, for a dry run and the confirmation.
    public var lines: [String] {
        (schedule.map { _ in ["its schedule"] } ?? []) + rules.map { "the rule '\($0.name ?? $0.id ?? "?")'" }
            + sequences.map { "the sequence '\($0.name ?? $0.id ?? "?")'" }
    }

    /// Keeps each in the audit file for `restore`, before the archive deletes the campaign.
    public func keep(for campaignID: String, in store: AuditStore) async throws {
        if let schedule {
            _ = try await store.hold(
                campaignID: campaignID, kind: .schedule, entityID: schedule.id ?? campaignID,
                before: JSONValue.object(schedule.document).jsonText, purpose: .archive)
        }
        for rule in rules {
            _ = try await store.hold(
                campaignID: campaignID, kind: .rule, entityID: rule.id ?? "",
                before: JSONValue.object(rule.document).jsonText, purpose: .archive)
        }
        for sequence in sequences {
            _ = try await store.hold(
                campaignID: campaignID, kind: .sequence, entityID: sequence.id ?? "",
                before: JSONValue.object(sequence.document).jsonText, purpose: .archive)
        }
    }

    /// Takes the campaign out of what names it, for a server that refuses to delete a referenced
    /// campaign: the schedule is deleted, the rules and sequences lose it (a running sequence is not
    /// changed: the archive then fails naming it).
    public func detach(_ campaignID: String, client: GenesysClient) async throws {
        if schedule != nil { try await client.deleteCampaignSchedule(campaignID: campaignID) }
        for rule in rules {
            var current = try await client.campaignRule(id: rule.id ?? "")
            current.document =
                Self.removing(campaignID, from: .object(current.document)).objectValue ?? current.document
            try await client.replaceCampaignRule(current)
        }
        for sequence in sequences {
            var current = try await client.sequence(id: sequence.id ?? "")
            guard current.status != "on" else {
                throw TransitionError(
                    "the running sequence '\(current.name ?? current.id ?? "?")' holds it: stop the sequence first")
            }
            current.document["campaigns"] = .array(
                (current.document["campaigns"]?.arrayValue ?? []).filter { $0["id"]?.stringValue != campaignID })
            try await client.replaceSequence(current)
        }
    }

    /// `value` without any `{"id": campaignID}` element of a list.
    static func removing(_ campaignID: String, from value: JSONValue) -> JSONValue {
        switch value {
        case .object(var object):
            for member in object.members { object[member.key] = removing(campaignID, from: member.value) }
            return .object(object)
        case .array(let elements):
            return .array(
                elements.filter { $0["id"]?.stringValue != campaignID }.map { removing(campaignID, from: $0) })
        default: return value
        }
    }

    /// After a restore: the schedule is created again for `newID`, and each rule and sequence the archive
    /// kept names `newID` where it named `oldID` (as it is now, where it still names the old id; as it was
    /// archived, where the server dropped it with the campaign). One audited row and line each.
    public static func repoint(
        from oldID: String, to newID: String, client: GenesysClient, store: AuditStore, entry: AuditEntry
    ) async throws -> [String] {
        var lines: [String] = []
        for kept in try store.holds(of: oldID, purpose: .archive) {
            guard let before = try? JSONValue(parsing: kept.before) else { continue }
            var row = entry
            row.campaignID = newID
            do {
                switch kept.kind {
                case .schedule:
                    guard var schedule = CampaignSchedule(json: before) else { continue }
                    for field in ["id", "version", "selfUri", "dateCreated", "dateModified"] {
                        schedule.document[field] = nil
                    }
                    schedule.document["campaign"] = ["id": .string(newID)]
                    try await client.putCampaignSchedule(schedule, campaignID: newID)
                    row.errorMessage = "created its schedule again for \(newID)"
                case .rule:
                    guard let archived = CampaignRule(json: before) else { continue }
                    let current = try? await client.campaignRule(id: kept.entityID)
                    var rule = current.map { $0.names(oldID) ? $0 : archived.withVersion(of: $0) } ?? archived
                    rule = rule.repointed(from: oldID, to: newID)
                    try await client.replaceCampaignRule(rule)
                    row.errorMessage = "pointed the rule '\(rule.name ?? kept.entityID)' at \(newID)"
                case .sequence:
                    guard let archived = CampaignSequence(json: before) else { continue }
                    var sequence = try await client.sequence(id: kept.entityID)
                    if !sequence.campaigns.contains(oldID) {
                        // The server dropped it: back in its place.
                        var campaigns = sequence.document["campaigns"]?.arrayValue ?? []
                        let place = min(archived.campaigns.firstIndex(of: oldID) ?? campaigns.count, campaigns.count)
                        campaigns.insert(["id": .string(oldID)], at: place)
                        sequence.document["campaigns"] = .array(campaigns)
                    }
                    sequence = sequence.repointed(from: oldID, to: newID)
                    try await client.replaceSequence(sequence)
                    row.errorMessage = "pointed the sequence '\(sequence.name ?? kept.entityID)' at \(newID)"
                }
                try await store.markReleased(kept.id)
            } catch {
                row.outcome = .error
                row.errorMessage =
                    "cannot point \(kept.kind.rawValue) \(kept.entityID) at \(newID): \(OrgDrivers.describe(error))"
            }
            _ = try await store.append(row)
            lines.append(row.errorMessage ?? "")
        }
        return lines
    }
}

extension CampaignRule {
    /// This document with `other`'s version: a restore sends back the archived rule over the current one.
    func withVersion(of other: CampaignRule) -> CampaignRule {
        var copy = self
        copy.document["version"] = other.version.map { JSONValue($0) } ?? .null
        return copy
    }
}
