import AsyncHTTPClient
import Foundation
import GenesysCloud
import GenesysEmulator
import JSONDocument
import NIOCore
import NIOHTTP1
import Synchronization

/// Records the waits the client asks for instead of sleeping, so retry tests run fast and can assert them.
public final class SleepRecorder: Sendable {
    private let waits = Mutex<[Duration]>([])
    public var recorded: [Duration] { waits.withLock { $0 } }

    public func sleep(_ duration: Duration) async throws {
        waits.withLock { $0.append(duration) }
        try Task.checkCancellation()
    }
}

/// A wall clock the test moves by hand.
public final class ManualClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)
    private let start = Date()
    public func advance(by seconds: TimeInterval) { offset.withLock { $0 += seconds } }
    public var now: Date { start.addingTimeInterval(offset.withLock { $0 }) }
}

public struct EmulatorHarness: Sendable {
    public let emulator: RunningEmulator
    public let client: GenesysClient
    public let sleeps: SleepRecorder
    public let clock: ManualClock

    /// Starts an emulator configured by `configure` and a client logged in to it.
    public static func run(
        configure: @Sendable (inout EmulatorConfiguration) -> Void = { _ in },
        client clientConfigure: @Sendable (inout GenesysClient.Configuration) -> Void = { _ in },
        _ body: @Sendable (EmulatorHarness) async throws -> Void
    ) async throws {
        var configuration = EmulatorConfiguration()
        configuration.stoppingDelay = .milliseconds(300)
        configure(&configuration)
        let credentials = ClientCredentials(clientID: configuration.clientID, clientSecret: configuration.clientSecret)
        try await GenesysEmulator.withRunning(configuration) { emulator in
            let sleeps = SleepRecorder()
            let clock = ManualClock()
            var clientConfiguration = GenesysClient.Configuration()
            clientConfiguration.sleep = { try await sleeps.sleep($0) }
            clientConfiguration.now = { clock.now }
            clientConfigure(&clientConfiguration)
            let client = GenesysClient(
                environment: try GenesysEnvironment(apiBase: emulator.baseURL, loginBase: emulator.baseURL),
                credentials: credentials, configuration: clientConfiguration
            )
            try await body(EmulatorHarness(emulator: emulator, client: client, sleeps: sleeps, clock: clock))
        }
    }

    /// `(method, path, status)` of every request the emulator saw, in order.
    public func requests(matching prefix: String = "") async -> [String] {
        await emulator.requests().filter { $0.path.hasPrefix(prefix) }.map { "\($0.method) \($0.path) \($0.status)" }
    }

    /// Sends a test-control request (`/emulator/v1/…`) and returns the answer's body.
    @discardableResult
    public func control(_ method: String, _ path: String, _ body: String? = nil) async throws -> Data {
        try await RawHTTP.send(HTTPMethod(rawValue: method), emulator.baseURL + "/emulator/v1" + path, body: body).body
    }

    /// The id of a demo-org campaign, by name.
    public static func demoCampaignID(_ name: String) -> String {
        EmulatorSeed.demoOrg.campaigns.first { $0.name == name }!.id!
    }

    /// The id of a demo-org queue, by name.
    public static func demoQueueID(_ name: String) -> String {
        EmulatorSeed.demoOrg.queues.first { $0.name == name }!.id
    }
}

/// Plain HTTP over AsyncHTTPClient, for asserting exactly what the emulator sends.
public enum RawHTTP {
    public struct Answer: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: Data

        /// The body as JSON, numbers as spelled and members in order; `null` when it is not JSON.
        public var json: JSONValue { (try? JSONValue(parsing: body)) ?? .null }
    }

    public static func send(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: String? = nil
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers, body: Data(bytes.readableBytesView))
    }

    /// A bearer token from the emulator's `/oauth/token`.
    public static func token(_ baseURL: String, clientID: String, clientSecret: String) async throws -> String {
        let basic = Data("\(clientID):\(clientSecret)".utf8).base64EncodedString()
        let answer = try await send(
            .POST, baseURL + "/oauth/token",
            headers: [("Authorization", "Basic \(basic)"), ("Content-Type", "application/x-www-form-urlencoded")],
            body: "grant_type=client_credentials"
        )
        guard case .string(let token) = answer.json["access_token"] else { throw URLError(.userAuthenticationRequired) }
        return token
    }
}

extension EmulatorSeed {
    /// `count` copies of the demo campaign `template`, named `Bulk_001`…, on the demo org's queues.
    public static func bulk(_ count: Int, like template: String) -> EmulatorSeed {
        let entry = demoOrg.campaigns.first { $0.name == template }!
        let campaigns = (1...count).map { number in
            var copy = entry
            copy.id = String(format: "b0000000-0000-4000-8000-%012d", number)
            copy.name = String(format: "Bulk_%03d", number)
            return copy
        }
        return EmulatorSeed(campaigns: campaigns, queues: demoOrg.queues)
    }
}
