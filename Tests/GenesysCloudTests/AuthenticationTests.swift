import Foundation
import GenesysCloud
import GenesysEmulator
import GenesysTestSupport
import Testing

@Suite struct AuthenticationTests {
    static let firstCampaign = EmulatorHarness.demoCampaignID("Q4_Promo_East")

    @Test func oneTokenServesAHundredCalls() async throws {
        try await EmulatorHarness.run { harness in
            for _ in 0..<100 { _ = try await harness.client.campaign(id: Self.firstCampaign) }
            let requests = await harness.requests()
            #expect(requests.filter { $0.hasPrefix("POST /oauth/token") } == ["POST /oauth/token 200"])
            #expect(requests.count == 101)
            #expect(await harness.client.tokens.issuedCount == 1)
        }
    }

    @Test func concurrentCallersShareOneTokenRequest() async throws {
        try await EmulatorHarness.run { harness in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 { group.addTask { _ = try await harness.client.campaign(id: Self.firstCampaign) } }
                try await group.waitForAll()
            }
            #expect(await harness.requests(matching: "/oauth/token") == ["POST /oauth/token 200"])
        }
    }

    @Test func theTokenIsRefreshedAMinuteBeforeItExpires() async throws {
        try await EmulatorHarness.run(configure: { $0.tokenLifetimeSeconds = 3_600 }) { harness in
            _ = try await harness.client.campaign(id: Self.firstCampaign)
            harness.clock.advance(by: 3_600 - 61)
            _ = try await harness.client.campaign(id: Self.firstCampaign)
            #expect(await harness.requests(matching: "/oauth/token").count == 1)
            harness.clock.advance(by: 2)
            _ = try await harness.client.campaign(id: Self.firstCampaign)
            #expect(await harness.requests(matching: "/oauth/token").count == 2)
        }
    }

    @Test func aRejectedTokenIsReplacedOnce() async throws {
        try await EmulatorHarness.run { harness in
            _ = try await harness.client.campaign(id: Self.firstCampaign)
            try await harness.control("POST", "/tokens/revoke")
            _ = try await harness.client.campaign(id: Self.firstCampaign)
            let path = "/api/v2/outbound/campaigns/\(Self.firstCampaign)"
            #expect(
                await harness.requests() == [
                    "POST /oauth/token 200", "GET \(path) 200", "GET \(path) 401", "POST /oauth/token 200",
                    "GET \(path) 200",
                ]
            )
        }
    }

    @Test func badCredentialsAreAnAuthenticationErrorWithoutTheSecret() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let client = GenesysClient(
                environment: try GenesysEnvironment(apiBase: emulator.baseURL, loginBase: emulator.baseURL),
                credentials: ClientCredentials(clientID: "campaignsh-sandbox", clientSecret: "wrong-secret-value")
            )
            let error = try await #require(throws: GenesysError.self) { try await client.campaigns() }
            #expect(error.kind == .authentication)
            #expect(error.status == 401)
            #expect(error.code == "invalid_client")
            #expect(!error.description.contains("wrong-secret-value"))
            #expect(error.correlationID != nil)
        }
    }

    @Test func tokensAreRequestedFromTheLoginHostWithBasicAuth() async throws {
        // The API base points nowhere: only the login base may receive the token request.
        try await GenesysEmulator.withRunning { emulator in
            let client = GenesysClient(
                environment: try GenesysEnvironment(apiBase: "http://127.0.0.1:9", loginBase: emulator.baseURL),
                credentials: ClientCredentials(clientID: "campaignsh-sandbox", clientSecret: "sandbox-secret")
            )
            let token = try await client.tokens.token()
            #expect(token.expiresAt > Date().addingTimeInterval(86_000))
            #expect(await emulator.requests().map(\.path) == ["/oauth/token"])
        }
    }
}
