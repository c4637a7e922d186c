import JSONDocument

/// `CampaignStats`: the dialer's live figures for a campaign, read leniently like ``CampaignProgress``.
public struct CampaignStats: Sendable, Equatable {
    /// "Number of available agents not currently being utilized".
    public var idleAgents: Int?
    public var effectiveIdleAgents: Double?
    public var adjustedCallsPerAgent: Double?
    public var outstandingCalls: Int?
    public var scheduledCalls: Int?
    public var linesUtilization: LinesUtilization?
    public var contactRate: ContactRate?
    /// Everything as received, for `stats --format json`.
    public var json: JSONValue

    public init(json: JSONValue) {
        self.json = json
        idleAgents = json["idleAgents"]?.wholeNumber
        effectiveIdleAgents = json["effectiveIdleAgents"]?.doubleValue
        adjustedCallsPerAgent = json["adjustedCallsPerAgent"]?.doubleValue
        outstandingCalls = json["outstandingCalls"]?.wholeNumber
        scheduledCalls = json["scheduledCalls"]?.wholeNumber
        contactRate = json["contactRate"]?.objectValue.map { _ in
            ContactRate(
                attempts: json["contactRate"]?["attempts"]?.doubleValue,
                connects: json["contactRate"]?["connects"]?.doubleValue,
                connectRatio: json["contactRate"]?["connectRatio"]?.doubleValue
            )
        }
        linesUtilization = json["linesUtilization"].flatMap { lines in
            lines.objectValue.map { _ in
                LinesUtilization(
                    assignedOutboundLines: lines["assignedOutboundLines"]?.wholeNumber,
                    totalAvailableOutboundLines: lines["totalAvailableOutboundLines"]?.wholeNumber
                )
            }
        }
    }

    public struct ContactRate: Sendable, Equatable {
        public var attempts: Double?
        public var connects: Double?
        public var connectRatio: Double?
    }

    public struct LinesUtilization: Sendable, Equatable {
        public var assignedOutboundLines: Int?
        public var totalAvailableOutboundLines: Int?
    }
}
