import Foundation
import GenesysEmulator
import GenesysTestSupport
import JSONDocument
import NIOHTTP1

/// Raw HTTP against a running emulator with a token of its own: what the wire carries, not what a client makes of it.
struct EmulatorTestClient: Sendable {
    let emulator: RunningEmulator
    let token: String

    static func run(
        configure: @Sendable (inout EmulatorConfiguration) -> Void = { _ in },
        _ body: @Sendable (EmulatorTestClient) async throws -> Void
    ) async throws {
        var configuration = EmulatorConfiguration()
        configure(&configuration)
        let (id, secret) = (configuration.clientID, configuration.clientSecret)
        try await GenesysEmulator.withRunning(configuration) { emulator in
            let token = try await RawHTTP.token(emulator.baseURL, clientID: id, clientSecret: secret)
            try await body(EmulatorTestClient(emulator: emulator, token: token))
        }
    }

    func api(_ method: HTTPMethod, _ path: String, _ body: String? = nil, token: String? = nil) async throws
        -> RawHTTP.Answer
    {
        try await RawHTTP.send(
            method, emulator.baseURL + path,
            headers: [("Authorization", "Bearer \(token ?? self.token)"), ("Content-Type", "application/json")],
            body: body
        )
    }

    @discardableResult
    func control(_ method: HTTPMethod, _ path: String, _ body: String? = nil) async throws -> RawHTTP.Answer {
        try await RawHTTP.send(method, emulator.baseURL + "/emulator/v1" + path, body: body)
    }

    /// GETs a campaign, lets `edit` change its JSON, and PUTs it back.
    func put(_ id: String, _ edit: (inout JSONObject) -> Void) async throws -> RawHTTP.Answer {
        var object = try await api(.GET, "/api/v2/outbound/campaigns/\(id)").json.objectValue ?? [:]
        edit(&object)
        return try await api(.PUT, "/api/v2/outbound/campaigns/\(id)", JSONValue.object(object).jsonText)
    }

    func status(of id: String) async throws -> JSONValue? {
        try await api(.GET, "/api/v2/outbound/campaigns/\(id)").json["campaignStatus"]
    }
}

enum Demo {
    static func campaign(_ name: String) -> String { EmulatorHarness.demoCampaignID(name) }
    static func queue(_ name: String) -> String { EmulatorHarness.demoQueueID(name) }
}
