/// `CampaignStats`: the dialer's live figures for a campaign.
public struct CampaignStats: Codable, Sendable, Equatable {
    public var contactRate: ContactRate?
    /// "Number of available agents not currently being utilized".
    public var idleAgents: Int?
    public var effectiveIdleAgents: Double?
    public var adjustedCallsPerAgent: Double?
    public var outstandingCalls: Int?
    public var scheduledCalls: Int?
    public var timeZoneRescheduledCalls: Int?
    public var filteredOutContactsCount: Int?
    public var rightPartyContactsCount: Int?
    public var validAttempts: Int?
    public var linesUtilization: LinesUtilization?
    public var businessCategoryMetrics: JSONValue?

    public init() {}

    public struct ContactRate: Codable, Sendable, Equatable {
        public var attempts: Double?
        public var connects: Double?
        public var connectRatio: Double?

        public init(attempts: Double?, connects: Double?, connectRatio: Double?) {
            self.attempts = attempts
            self.connects = connects
            self.connectRatio = connectRatio
        }
    }

    public struct LinesUtilization: Codable, Sendable, Equatable {
        public var assignedOutboundLines: Int?
        public var totalAvailableOutboundLines: Int?

        public init(assignedOutboundLines: Int?, totalAvailableOutboundLines: Int?) {
            self.assignedOutboundLines = assignedOutboundLines
            self.totalAvailableOutboundLines = totalAvailableOutboundLines
        }
    }
}
