import Foundation
import GenesysCloud
import GenesysEmulator
import GenesysTestSupport
import Synchronization
import Testing

@Suite struct RetryTests {
    static let campaignID = EmulatorHarness.demoCampaignID("Q4_Renewals")
    static let path = "/api/v2/outbound/campaigns/\(campaignID)"

    @Test func rateLimitedRequestsWaitWhatRetryAfterSays() async throws {
        try await EmulatorHarness.run { harness in
            try await harness.control("POST", "/faults", #"{"status":429,"count":2,"retryAfter":4}"#)
            let campaign = try await harness.client.campaign(id: Self.campaignID)
            #expect(campaign.id == Self.campaignID)
            #expect(harness.sleeps.recorded == [.seconds(4), .seconds(4)])
            #expect(
                await harness.requests(matching: Self.path) == [
                    "GET \(Self.path) 429", "GET \(Self.path) 429", "GET \(Self.path) 200",
                ])
        }
    }

    @Test func theTokensOwnRateLimitIsHonouredAndItsHeadersSeen() async throws {
        let records = RecordedRequests()
        try await EmulatorHarness.run(
            configure: { $0.rateLimit = 3 },
            client: { configuration in
                configuration.retryPolicy.maxRetryAfter = .seconds(30)
                configuration.observer = { records.append($0) }
            }
        ) { harness in
            for _ in 0..<3 { _ = try await harness.client.campaign(id: Self.campaignID) }
            let error = try await #require(throws: GenesysError.self) {
                try await harness.client.campaign(id: Self.campaignID)
            }
            #expect(error.kind == .rateLimited)
            #expect(error.status == 429)
            #expect(harness.sleeps.recorded.isEmpty)
            let limits = records.all.compactMap(\.rateLimit)
            #expect(limits.map(\.count) == [1, 2, 3, 3])
            #expect(limits.allSatisfy { $0.allowed == 3 })
        }
    }

    @Test func serverErrorsAreRetriedWithBackoff() async throws {
        try await EmulatorHarness.run { harness in
            try await harness.control("POST", "/faults", #"{"status":503,"count":2}"#)
            _ = try await harness.client.campaign(id: Self.campaignID)
            #expect(
                await harness.requests(matching: Self.path) == [
                    "GET \(Self.path) 503", "GET \(Self.path) 503", "GET \(Self.path) 200",
                ])
            let waits = harness.sleeps.recorded
            #expect(waits.count == 2)
            #expect(waits[0] >= .milliseconds(100) && waits[0] <= .milliseconds(200))
            #expect(waits[1] >= .milliseconds(200) && waits[1] <= .milliseconds(400))
        }
    }

    @Test func persistentServerErrorsSurfaceAfterTheBoundedAttempts() async throws {
        try await EmulatorHarness.run { harness in
            try await harness.control("POST", "/faults", #"{"status":503,"count":50}"#)
            let error = try await #require(throws: GenesysError.self) {
                try await harness.client.campaign(id: Self.campaignID)
            }
            #expect(error.kind == .api)
            #expect(error.status == 503)
            #expect(error.code == "service.unavailable")
            #expect(error.correlationID != nil)
            #expect(await harness.requests(matching: Self.path).count == RetryPolicy().maxAttempts)
        }
    }

    @Test func aCreateIsNotRepeatedAfterAServerError() async throws {
        try await EmulatorHarness.run { harness in
            var campaign = try await harness.client.campaign(id: Self.campaignID)
            campaign.name = "Copy of Q4_Renewals"
            try await harness.control(
                "POST", "/faults", #"{"status":503,"count":1,"path":"/api/v2/outbound/campaigns"}"#)
            let error = try await #require(throws: GenesysError.self) {
                try await harness.client.createCampaign(campaign)
            }
            #expect(error.status == 503)
            #expect(
                await harness.requests().filter { $0.hasPrefix("POST /api/v2/outbound/campaigns") } == [
                    "POST /api/v2/outbound/campaigns 503"
                ])
        }
    }

    @Test func unreachableServersAreReportedAfterRetries() async throws {
        let client = GenesysClient(
            environment: try GenesysEnvironment(apiBase: "http://127.0.0.1:9", loginBase: "http://127.0.0.1:9"),
            credentials: ClientCredentials(clientID: "id", clientSecret: "secret"),
            configuration: {
                var configuration = GenesysClient.Configuration()
                configuration.sleep = { _ in }
                return configuration
            }()
        )
        let error = try await #require(throws: GenesysError.self) { try await client.campaigns() }
        #expect(error.kind == .unreachable)
        #expect(error.request == "POST /oauth/token")
    }
}

/// Collects the client's per-attempt records.
final class RecordedRequests: Sendable {
    private let records = Mutex<[RequestRecord]>([])
    func append(_ record: RequestRecord) { records.withLock { $0.append(record) } }
    var all: [RequestRecord] { records.withLock { $0 } }
}
