import GenesysCloud

/// One pre-flight check of `activate` (and `capacity`): passed or not, with the figure behind it.
public struct PreflightCheck: Sendable, Equatable {
    /// The checks an operator may bypass with `--override`.
    public enum Name: String, Sendable, CaseIterable {
        case errors, agents, lines, capacity
        public var overridable: Bool { self != .errors }
    }

    public var name: Name
    public var passed: Bool
    public var figure: String
}

/// The checks before turning a campaign on (DESIGN.md "Transition pipeline", step 3).
///
/// Idle agents are counted from the queue's members with `joined=true&routingStatus=IDLE`: the
/// documented roster of who is on this queue and free (genesys-api.md §7A, V); the observation query
/// needs an analytics permission and its qualifier reading is community knowledge (§7B, C).
public struct Preflight: Sendable {
    public let client: GenesysClient
    /// Largest number of campaigns on, stopping or forced_stopping at once.
    public var activeLimit = 50

    public init(client: GenesysClient) {
        self.client = client
    }

    /// - Parameters:
    ///   - activeCount: campaigns already taking a slot, if the caller counted them (bulk runs count once).
    ///   - idleAgents: idle agents per queue id, if the caller counted them.
    public func checks(
        for campaign: Campaign, minAgents: Int, activeCount: Int? = nil, idleAgents: [String: Int]? = nil
    ) async throws -> [PreflightCheck] {
        var checks: [PreflightCheck] = []
        let errors = campaign.errors ?? []
        checks.append(
            PreflightCheck(
                name: .errors, passed: errors.isEmpty && campaign.campaignStatus != .invalid,
                figure: errors.isEmpty
                    ? (campaign.campaignStatus == .invalid ? "status invalid" : "none")
                    : errors.map { [$0.error, $0.details].compactMap { $0 }.joined(separator: ": ") }.joined(separator: "; ")
            )
        )
        if campaign.dialingMode != .agentless {
            if let queueID = campaign.queue?.id {
                let idle: Int
                if let known = idleAgents?[queueID] {
                    idle = known
                } else {
                    idle = try await self.idleAgents(queueID: queueID)
                }
                checks.append(PreflightCheck(name: .agents, passed: idle >= minAgents, figure: "\(idle) idle on-queue agents, \(minAgents) needed"))
            } else {
                checks.append(PreflightCheck(name: .agents, passed: false, figure: "the campaign has no queue"))
            }
        }
        if campaign.dialingMode != .preview {
            // The campaign's setting, and what the dialer says its edges can give (CampaignStats).
            let lines = campaign.outboundLineCount ?? 0
            let available = try await client.stats(ofCampaign: campaign.id ?? "").linesUtilization?.totalAvailableOutboundLines
            let passed = lines >= 1 && (available.map { $0 >= 1 } ?? true)
            checks.append(
                PreflightCheck(
                    name: .lines, passed: passed,
                    figure: "\(lines) outbound lines" + (available.map { ", \($0) available on the dialer" } ?? "")
                )
            )
        }
        let active = if let activeCount { activeCount } else { try await self.activeCount() }
        checks.append(
            PreflightCheck(
                name: .capacity, passed: active < activeLimit,
                figure: "\(active) of \(activeLimit) campaigns on, stopping or forced_stopping"
            )
        )
        return checks
    }

    public func idleAgents(queueID: String) async throws -> Int {
        try await client.queueMembers(queueID: queueID, joined: true, routingStatuses: [.idle]).count
    }

    /// Campaigns taking one of the org's active slots.
    public func activeCount() async throws -> Int {
        try await client.campaigns().filter { $0.campaignStatus?.occupiesActiveSlot == true }.count
    }
}
