/// `CampaignPatchRequest`: the only fields `PATCH /api/v2/outbound/campaigns/{id}` accepts. It cannot change status.
public struct CampaignPatchRequest: Codable, Sendable, Equatable {
    public var outboundLineCount: Int?
    public var abandonRate: Double?
    public var maxCallsPerAgent: Double?
    public var dynamicLineBalancingSettings: DynamicLineBalancingSettings?
    public var queue: DomainEntityRef?

    /// `DynamicLineBalancingSettingsPatchRequest`.
    public struct DynamicLineBalancingSettings: Codable, Sendable, Equatable {
        public var enabled: Bool?
        public var relativeWeight: Int?

        public init(enabled: Bool?, relativeWeight: Int?) {
            self.enabled = enabled
            self.relativeWeight = relativeWeight
        }
    }

    public init(
        outboundLineCount: Int? = nil, abandonRate: Double? = nil, maxCallsPerAgent: Double? = nil,
        dynamicLineBalancingSettings: DynamicLineBalancingSettings? = nil, queue: DomainEntityRef? = nil
    ) {
        self.outboundLineCount = outboundLineCount
        self.abandonRate = abandonRate
        self.maxCallsPerAgent = maxCallsPerAgent
        self.dynamicLineBalancingSettings = dynamicLineBalancingSettings
        self.queue = queue
    }
}
