import Foundation
import GenesysEmulator
import GenesysTestSupport
import JSONDocument
import NIOHTTP1
import Testing

/// OAuth, authentication, correlation ids, rate limits, faults and the request log.
@Suite struct ProtocolTests {
    static let basic = "Basic " + Data("campaignsh-sandbox:sandbox-secret".utf8).base64EncodedString()
    static let form = ("Content-Type", "application/x-www-form-urlencoded")

    @Test func tokensComeFromClientCredentialsWithBasicAuth() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let answer = try await RawHTTP.send(
                .POST, emulator.baseURL + "/oauth/token", headers: [("Authorization", Self.basic), Self.form],
                body: "grant_type=client_credentials"
            )
            #expect(answer.status == 200)
            #expect(answer.json["token_type"] == "bearer")
            #expect(answer.json["expires_in"] == 86_400)
            #expect(answer.json["access_token"]?.stringValue?.isEmpty == false)
            #expect(answer.headers.first(name: "ININ-Correlation-ID") != nil)
        }
    }

    @Test func wrongCredentialsAndCredentialsInTheBodyAreRefused() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let wrong = "Basic " + Data("campaignsh-sandbox:nope".utf8).base64EncodedString()
            let refused = try await RawHTTP.send(
                .POST, emulator.baseURL + "/oauth/token", headers: [("Authorization", wrong), Self.form],
                body: "grant_type=client_credentials"
            )
            #expect(refused.status == 401)
            #expect(
                refused.json == [
                    "error": "invalid_client", "description": "authentication failed",
                    "error_description": "authentication failed",
                ])
            let inBody = try await RawHTTP.send(
                .POST, emulator.baseURL + "/oauth/token", headers: [Self.form],
                body: "grant_type=client_credentials&client_id=campaignsh-sandbox&client_secret=sandbox-secret"
            )
            #expect(inBody.status == 401)
            let grant = try await RawHTTP.send(
                .POST, emulator.baseURL + "/oauth/token", headers: [("Authorization", Self.basic), Self.form],
                body: "grant_type=password"
            )
            #expect(grant.status == 400)
            #expect(grant.json["error"] == "unsupported_grant_type")
        }
    }

    @Test func theAuthenticationFailureStatusIsConfigurable() async throws {
        var configuration = EmulatorConfiguration()
        configuration.authenticationFailureStatus = 400
        try await GenesysEmulator.withRunning(configuration) { emulator in
            let refused = try await RawHTTP.send(
                .POST, emulator.baseURL + "/oauth/token", headers: [Self.form], body: "grant_type=client_credentials")
            #expect(refused.status == 400)
        }
    }

    @Test func theAPIWantsAValidBearerToken() async throws {
        try await EmulatorTestClient.run { client in
            let none = try await RawHTTP.send(.GET, client.emulator.baseURL + "/api/v2/outbound/campaigns")
            #expect(none.status == 401)
            #expect(none.json["code"] == "authentication.required")
            let forged = try await client.api(.GET, "/api/v2/outbound/campaigns", token: "forged")
            #expect(forged.status == 401)
            #expect(forged.json["code"] == "bad.credentials")
        }
    }

    @Test func everyAnswerCarriesACorrelationIDMirroredInErrors() async throws {
        try await EmulatorTestClient.run { client in
            let ok = try await client.api(.GET, "/api/v2/outbound/campaigns")
            let missing = try await client.api(.GET, "/api/v2/outbound/campaigns/no-such-id")
            let unknown = try await client.api(.GET, "/api/v2/nothing/here")
            for answer in [ok, missing, unknown] {
                #expect(answer.headers.first(name: "ININ-Correlation-ID")?.count == 36)
            }
            #expect(missing.status == 404)
            #expect(missing.json["code"] == "not.found")
            #expect(missing.json["status"] == 404)
            #expect(missing.json["contextId"]?.stringValue == missing.headers.first(name: "ININ-Correlation-ID"))
            #expect(unknown.status == 404)
        }
    }

    @Test func everyAPIAnswerCountsAgainstTheTokensWindowUntil429() async throws {
        try await EmulatorTestClient.run(configure: { $0.rateLimit = 4 }) { client in
            var counts: [String] = []
            for _ in 0..<4 {
                let answer = try await client.api(.GET, "/api/v2/outbound/campaigns")
                #expect(answer.headers.first(name: "inin-ratelimit-allowed") == "4")
                #expect((1...60).contains(Int(answer.headers.first(name: "inin-ratelimit-reset") ?? "") ?? 0))
                counts.append(answer.headers.first(name: "inin-ratelimit-count") ?? "")
            }
            #expect(counts == ["1", "2", "3", "4"])
            let limited = try await client.api(.GET, "/api/v2/outbound/campaigns")
            #expect(limited.status == 429)
            #expect(limited.json["code"] == "too.many.requests")
            #expect((1...60).contains(Int(limited.headers.first(name: "Retry-After") ?? "") ?? 0))
            #expect(limited.headers.first(name: "inin-ratelimit-count") == "4")

            // The limit is per token: a new token has a window of its own.
            let other = try await RawHTTP.token(
                client.emulator.baseURL, clientID: "campaignsh-sandbox", clientSecret: "sandbox-secret")
            #expect(try await client.api(.GET, "/api/v2/outbound/campaigns", token: other).status == 200)
        }
    }

    @Test func injectedFaultsAnswerInsteadOfTheAPI() async throws {
        try await EmulatorTestClient.run { client in
            #expect(try await client.control(.POST, "/faults", #"{"status":503,"count":2}"#).status == 204)
            let statuses = try await (0..<3).asyncMap { _ in
                try await client.api(.GET, "/api/v2/outbound/campaigns").status
            }
            #expect(statuses == [503, 503, 200])

            try await client.control(.POST, "/faults", #"{"status":429,"count":1,"retryAfter":7}"#)
            let limited = try await client.api(.GET, "/api/v2/outbound/campaigns")
            #expect(limited.status == 429)
            #expect(limited.headers.first(name: "Retry-After") == "7")

            try await client.control(.POST, "/faults", #"{"delayMs":300,"count":1}"#)
            let started = ContinuousClock.now
            #expect(try await client.api(.GET, "/api/v2/outbound/campaigns").status == 200)
            #expect(ContinuousClock.now - started >= .milliseconds(300))

            #expect(try await client.control(.POST, "/faults", "{}").status == 400)
        }
    }

    @Test func theRequestLogListsAPIRequestsAndResetClearsIt() async throws {
        try await EmulatorTestClient.run { client in
            _ = try await client.api(.GET, "/api/v2/outbound/campaigns?pageSize=3")
            _ = try await client.api(.DELETE, "/api/v2/outbound/campaigns/\(Demo.campaign("Q4_Promo_East"))")
            let log = try await client.control(.GET, "/requests").json["requests"]
            guard case .array(let entries) = log else {
                Issue.record("no requests array")
                return
            }
            #expect(
                entries.map {
                    "\($0["method"]?.stringValue ?? "") \($0["path"]?.stringValue ?? "") \($0["status"]?.intValue ?? 0)"
                } == [
                    "POST /oauth/token 200", "GET /api/v2/outbound/campaigns 200",
                    "DELETE /api/v2/outbound/campaigns/\(Demo.campaign("Q4_Promo_East")) 400",
                ])
            #expect(entries[1]["query"] == "pageSize=3")

            try await client.control(.POST, "/campaigns/\(Demo.campaign("Q4_Renewals"))/bump")
            #expect(try await client.control(.POST, "/reset").status == 204)
            #expect(try await client.control(.GET, "/requests").json["requests"] == [])
            let token = try await RawHTTP.token(
                client.emulator.baseURL, clientID: "campaignsh-sandbox", clientSecret: "sandbox-secret")
            let campaign = try await client.api(
                .GET, "/api/v2/outbound/campaigns/\(Demo.campaign("Q4_Renewals"))", token: token)
            #expect(campaign.json["version"] == 5)
            // The reset revoked the old token.
            #expect(try await client.api(.GET, "/api/v2/outbound/campaigns").status == 401)
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
