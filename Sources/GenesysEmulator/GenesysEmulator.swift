import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// An emulator of the Genesys Cloud Platform API v2 subset campaignsh uses, served by Hummingbird.
///
/// ```swift
/// try await GenesysEmulator.withRunning(configuration) { emulator in
///     let environment = try GenesysEnvironment(apiBase: emulator.baseURL, loginBase: emulator.baseURL)
///     …
/// }
/// ```
public struct GenesysEmulator: Sendable {
    public let configuration: EmulatorConfiguration
    let org: EmulatorOrg

    public init(configuration: EmulatorConfiguration = .init()) {
        self.configuration = configuration
        self.org = EmulatorOrg(configuration: configuration)
    }

    /// Serves until the task is cancelled; `onListening` gets the base URL once the port is bound.
    /// Throws ``EmulatorSeed/Invalid`` before listening when the configured seed does not fit the SDK's models.
    public func run(logger: Logger? = nil, onListening: @escaping @Sendable (String) async -> Void) async throws {
        try configuration.seed.validate()
        let host = configuration.host
        let org = self.org
        let printableHost = host.contains(":") ? "[\(host)]" : host
        let quiet = logger ?? Logger(label: "genesys-emulator", factory: { _ in SwiftLogNoOpLogHandler() })
        // The notification channels' sockets have a port of their own: an upgrade-capable HTTP/1 server
        // keeps a connection that has sent no request yet out of graceful shutdown, and an API client's
        // spare keep-alive connection is one.
        let sockets = Application(
            router: Router(),
            server: .http1WebSocketUpgrade(webSocketRouter: NotificationSocket.router(org)),
            configuration: .init(address: .hostname(host, port: 0), serverName: nil),
            onServerRunning: { channel in
                await org.setSocketBaseURL("ws://\(printableHost):\(channel.localAddress?.port ?? 0)")
            },
            logger: quiet
        )
        let api = Application(
            responder: EmulatorResponder(org: org),
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                // Channels are created with the socket server's address: wait (briefly) until it listens.
                for _ in 0..<500 where await org.socketBaseURL == nil { try? await Task.sleep(for: .milliseconds(10)) }
                await onListening("http://\(printableHost):\(port)")
            },
            logger: quiet
        )
        let heartbeat = configuration.notificationHeartbeat
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await sockets.run() }
            group.addTask { try await api.run() }
            group.addTask {
                while true {
                    try await Task.sleep(for: heartbeat)
                    await org.sendHeartbeats()
                }
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Starts an emulator, runs `body` with it, and stops it afterwards.
    public static func withRunning<Result: Sendable>(
        _ configuration: EmulatorConfiguration = .init(),
        _ body: @Sendable (RunningEmulator) async throws -> Result
    ) async throws -> Result {
        let emulator = GenesysEmulator(configuration: configuration)
        let (addresses, continuation) = AsyncStream.makeStream(of: String.self)
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                // Ends the stream when serving stops, so a server that never listened is not waited for.
                defer { continuation.finish() }
                try await emulator.run { continuation.yield($0) }
                return nil
            }
            defer { group.cancelAll() }
            guard let baseURL = await addresses.first(where: { _ in true }) else {
                _ = try await group.next()  // the reason it did not start
                throw CancellationError()
            }
            return try await body(RunningEmulator(baseURL: baseURL, org: emulator.org))
        }
    }
}

/// A started emulator: its address, and direct access to its log for tests.
public struct RunningEmulator: Sendable {
    /// `http://127.0.0.1:PORT`: both the API base and the login base.
    public let baseURL: String
    let org: EmulatorOrg

    /// Every `/oauth/token` and `/api/v2` request so far, like `GET /emulator/v1/requests`.
    public func requests() async -> [LoggedRequest] {
        await org.requestLog
    }

    /// Every access token issued so far.
    public func issuedTokens() async -> [String] {
        await org.issuedTokens
    }
}
