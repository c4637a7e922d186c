/// A world in front of the service while a runbook is planned: reads still go to Genesys and come back
/// with the plan's changes so far applied; a change is made to the plan instead of being sent.
///
/// ``GenesysClient/planning(with:)`` puts one in front of a client. Every request that would change
/// something either goes to the plan or is refused: a plan never sends a change.
public protocol ChangePlan: Sendable {
    /// What reading campaign `id` shows under the plan; `live` reads it from Genesys.
    func campaign(id: String, live: @Sendable () async throws -> Campaign) async throws -> Campaign
    /// A listing as the plan has it (campaigns the plan deleted are gone).
    func campaigns(_ live: [Campaign]) async -> [Campaign]
    /// Progress as the plan has it (a recycled campaign has called nobody yet).
    func progress(_ live: CampaignProgress) async -> CampaignProgress

    func replace(_ campaign: Campaign) async throws -> Campaign
    func start(id: String) async throws
    func stop(id: String) async throws
    func delete(id: String) async throws -> Campaign?
    func recycle(id: String) async throws
    func create(_ campaign: Campaign) async throws -> Campaign
}

extension GenesysClient {
    /// This client with `plan` in front of the service.
    public func planning(with plan: any ChangePlan) -> GenesysClient {
        var planned = self
        planned.plan = plan
        return planned
    }

    /// Why a change the plan cannot make is not sent either.
    static func unplannable(_ request: String) -> GenesysError {
        GenesysError(
            kind: .invalidResponse, request: request, message: "a plan sends no change, and cannot simulate this one")
    }
}
