import AuditStore
import Foundation
import GenesysCloud
import JSONDocument

extension TransitionEngine {
    /// `recycle`: resets progress (`DELETE …/progress`) so the campaign dials its list from the start.
    public func recycle(_ campaign: Campaign, options: TransitionOptions) async throws -> TransitionResult {
        let id = campaign.id ?? ""
        var result = TransitionResult(
            campaignID: id, campaignName: campaign.name, fromStatus: campaign.campaignStatus?.rawValue,
            toStatus: campaign.campaignStatus?.rawValue, outcome: .noop
        )
        switch LifecyclePolicy.decide(.recycle, from: try await lifecycle(of: campaign)) {
        case .refuse(let reason):
            result.outcome = .refused
            result.message = reason
        case .recycle where options.dryRun:
            result.outcome = .dryRun
            result.plan = ["DELETE /api/v2/outbound/campaigns/\(id)/progress"]
        case .recycle:
            result.attempts = 1
            do {
                let (_, response) = try await sending { try await client.recycleCampaign(id: id) }
                let after = try await client.campaign(id: id)
                result.outcome = .success
                result.toStatus = after.campaignStatus?.rawValue
                let row = try await record(
                    .recycle, campaign, result, options, after: after, httpStatus: response?.status,
                    correlationID: response?.correlationID
                )
                await announce(campaign, after, audit: row?.anchor, options)
                return result
            } catch let error as GenesysError {
                result.outcome = .error
                result.message = error.description
                try await record(
                    .recycle, campaign, result, options, httpStatus: error.status, correlationID: error.correlationID)
                return result
            }
        default:
            result.outcome = .noop
        }
        try await record(.recycle, campaign, result, options)
        return result
    }

    /// `archive`: pauses a running campaign and waits for `off`, keeps its full JSON in the local archive,
    /// then deletes it from Genesys.
    public func archive(_ campaign: Campaign, options: TransitionOptions) async throws -> TransitionResult {
        let id = campaign.id ?? ""
        var result = TransitionResult(
            campaignID: id, campaignName: campaign.name, fromStatus: campaign.campaignStatus?.rawValue,
            toStatus: campaign.campaignStatus?.rawValue, outcome: .noop
        )
        let decision = LifecyclePolicy.decide(
            .archive, from: try await lifecycle(of: campaign, distinguishingDraft: false))
        if case .refuse(let reason) = decision {
            result.outcome = .refused
            result.message = reason
            try await record(.archive, campaign, result, options)
            return result
        }
        if options.dryRun {
            result.outcome = .dryRun
            result.toStatus = "archived"
            result.plan =
                (decision == .pauseThenArchive
                    ? ["POST /api/v2/outbound/campaigns/\(id)/stop, then wait until off"] : [])
                + ["keep the campaign's JSON in the local archive", "DELETE /api/v2/outbound/campaigns/\(id)"]
            try await record(.archive, campaign, result, options)
            return result
        }
        var current = campaign
        if decision == .pauseThenArchive {
            var pauseOptions = options
            pauseOptions.wait = true
            let paused = try await run(.pause, on: campaign, options: pauseOptions)
            guard !paused.failed, paused.toStatus.map({ CampaignStatus(rawValue: $0).isSettledOff }) == true else {
                result.outcome = .error
                result.message = "not archived: " + (paused.message ?? "the campaign did not stop")
                try await record(.archive, campaign, result, options)
                return result
            }
            current = try await client.campaign(id: id)
        }
        guard let audit else { throw TransitionError("archiving needs the audit store, which keeps the archive") }
        // The document exactly as Genesys sent it: restore sends back what it cannot model too.
        let snapshot = current.json.jsonText
        try await audit.store().archive(campaignID: id, name: current.name ?? id, snapshot: snapshot)
        result.attempts = 1
        do {
            let (_, response) = try await sending { try await client.deleteCampaign(id: id) }
            result.outcome = .success
            result.toStatus = "archived"
            let row = try await record(
                .archive, current, result, options, httpStatus: response?.status, correlationID: response?.correlationID
            )
            if let notifier, await notifier.configuration != nil {
                await notifier.notify(
                    CampaignStateChange(
                        campaignId: id, campaignName: current.name,
                        previous: .init(
                            status: current.campaignStatus?.rawValue,
                            lifecycle: try? await lifecycle(of: current).rawValue),
                        current: .init(status: nil, lifecycle: Lifecycle.archived.rawValue), actor: actor,
                        audit: row?.anchor
                    ),
                    command: options.command
                )
            }
        } catch let error as GenesysError {
            result.outcome = .error
            result.message = error.description
            try await record(
                .archive, current, result, options, httpStatus: error.status, correlationID: error.correlationID)
        }
        return result
    }

    /// `restore`: creates the archived campaign again (Genesys creates it `off`, with a new id).
    public func restore(_ archived: ArchivedCampaign, options: TransitionOptions) async throws -> TransitionResult {
        var result = TransitionResult(
            campaignID: archived.campaignID, campaignName: archived.name, fromStatus: "archived", toStatus: nil,
            outcome: .noop
        )
        let empty = Campaign()
        guard archived.restoredAs == nil else {
            result.outcome = .refused
            result.message = "already restored as \(archived.restoredAs!)"
            try await record(.restore, empty, result, options)
            return result
        }
        guard var campaign = (try? JSONValue(parsing: archived.snapshot)).flatMap(Campaign.init(json:)) else {
            throw TransitionError("the archived snapshot of \(archived.name) is not a campaign document")
        }
        // Read-only or server-assigned fields go; the rest is sent as it was.
        for field in ["id", "version", "dateCreated", "dateModified", "selfUri", "errors"] {
            campaign.document[field] = nil
        }
        campaign.campaignStatus = .off
        if options.dryRun {
            result.outcome = .dryRun
            result.toStatus = "off"
            result.plan = [
                "POST /api/v2/outbound/campaigns with the archived settings of \(archived.name) (created off, new id)"
            ]
            try await record(.restore, empty, result, options)
            return result
        }
        result.attempts = 1
        do {
            let (created, response) = try await sending { try await client.createCampaign(campaign) }
            try await audit?.store().markRestored(archived.id, as: created.id ?? "")
            result.outcome = .success
            result.toStatus = created.campaignStatus?.rawValue
            result.message = nil
            result.campaignID = created.id ?? ""
            var restoredRow = result
            restoredRow.message = "restored from archived campaign \(archived.campaignID)"
            let row = try await record(
                .restore, empty, restoredRow, options, after: created, httpStatus: response?.status,
                correlationID: response?.correlationID
            )
            if let notifier {
                await notifier.notify(
                    CampaignStateChange(
                        campaignId: created.id ?? "", campaignName: created.name,
                        previous: .init(status: nil, lifecycle: Lifecycle.archived.rawValue),
                        current: .init(status: created.campaignStatus?.rawValue, lifecycle: Lifecycle.draft.rawValue),
                        actor: actor, audit: row?.anchor
                    ),
                    command: options.command
                )
            }
        } catch let error as GenesysError {
            result.outcome = .error
            result.message = error.description
            try await record(
                .restore, empty, result, options, httpStatus: error.status, correlationID: error.correlationID)
        }
        return result
    }
}
