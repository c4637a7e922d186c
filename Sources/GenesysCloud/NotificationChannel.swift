import Foundation
import JSONDocument
import Logging
import NIOHTTP1
import NIOWebSocket
import WSClient

/// `Channel` (`POST /api/v2/notifications/channels`): a WebSocket URI that carries the events of the
/// topics subscribed to it, for 24 hours from the last subscription.
public struct NotificationChannelAddress: Sendable, Equatable {
    public var id: String
    public var connectURI: String
    public var expires: Date?
}

/// The notification API (docs/genesys-api.md, "Notifications").
extension GenesysClient {
    static let channelsRoute = "/api/v2/notifications/channels"
    static let channelRoute = "/api/v2/notifications/channels/{channelId}"
    static let subscriptionsRoute = "/api/v2/notifications/channels/{channelId}/subscriptions"

    /// `POST /api/v2/notifications/channels`. Not idempotent: a retry would make a second channel of the
    /// 20 a user and app may have.
    public func createNotificationChannel() async throws -> NotificationChannelAddress {
        let answer = try await fetchJSON(.POST, Self.channelsRoute, path: Self.channelsRoute, idempotent: false)
        guard let id = answer["id"]?.stringValue, let uri = answer["connectUri"]?.stringValue else {
            throw GenesysError(
                kind: .invalidResponse, request: "POST \(Self.channelsRoute)",
                message: "the answer has no channel id and connectUri")
        }
        let expires = answer["expires"]?.stringValue.flatMap { CampaignSchedule.Interval.date($0, "UTC") }
        return NotificationChannelAddress(id: id, connectURI: uri, expires: expires)
    }

    /// `PUT …/channels/{id}/subscriptions`: the channel's topics become `topics`. Returns the topics the
    /// service rejected, with its reason.
    @discardableResult
    public func replaceSubscriptions(channelID: String, topics: [String]) async throws -> [String: String] {
        let path = "/api/v2/notifications/channels/\(Self.pathSegment(channelID))/subscriptions"
        let body = JSONValue.array(topics.map { ["id": .string($0)] })
        let answer = try await fetchJSON(.PUT, Self.subscriptionsRoute, path: path, body: body)
        var rejected: [String: String] = [:]
        for topic in answer["entities"]?.arrayValue ?? [] where topic["state"]?.stringValue == "Rejected" {
            rejected[topic["id"]?.stringValue ?? "?"] = topic["rejectionReason"]?.stringValue ?? "rejected"
        }
        return rejected
    }

    /// `HEAD /api/v2/notifications/channels/{id}`: whether the channel still exists (404 when it is gone
    /// or expired).
    public func notificationChannelExists(id: String) async throws -> Bool {
        let path = "/api/v2/notifications/channels/\(Self.pathSegment(id))"
        do {
            _ = try await send(.HEAD, Self.channelRoute, path: path)
            return true
        } catch let error as GenesysError where error.status == 404 {
            return false
        }
    }
}

/// One notification channel for a session: created when first needed, its topics subscribed in one
/// request, its socket kept connected. A socket that closes (after `v2.system.socket_closing`, or any
/// other way) or goes silent (no heartbeat for ``silence``) is connected again to the same URI, as the
/// SDKs do; a new channel is created only when the old one is gone (HEAD answers 404). Listeners get
/// every campaign event in the order the socket carried them, and a ``Event/connected(again:)`` after
/// each connection: events sent while no socket was connected are lost, so they read again then.
public actor NotificationChannel {
    public enum Event: Sendable, Equatable {
        /// `v2.outbound.campaigns.{id}`: the campaign as it is now (its status and version at least).
        case campaign(id: String, document: JSONValue)
        /// `v2.outbound.campaigns.{id}.progress`.
        case progress(id: String, document: JSONValue)
        /// `v2.outbound.campaigns.{id}.stats`: the dialer's figures (idle agents among them).
        case stats(id: String, document: JSONValue)
        /// The socket is connected; `again` when it was connected before (events may have been missed).
        case connected(again: Bool)
    }

    /// Why the channel cannot be had: the caller polls instead.
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    private let client: GenesysClient
    /// A socket with no message for this long (Genesys sends a heartbeat every 30 s or so) is dead.
    let silence: Duration
    private var address: NotificationChannelAddress?
    private var topics: [String] = []
    private var listeners: [UUID: AsyncStream<Event>.Continuation] = [:]
    private var connection: Task<Void, Never>?
    private var lastMessage = ContinuousClock.now
    private var connections = 0
    private var unavailable: Unavailable?
    /// Sockets connected, for tests and the footer of `watch`.
    public private(set) var reconnections = 0

    /// Subscribing again renews a channel ("channels remain active for 24 hours"); done this long after
    /// the last subscription, well before the end.
    let renewal: Duration
    private var lastSubscribed = ContinuousClock.now
    private var socketOpen = false

    public init(client: GenesysClient, silence: Duration = .seconds(75), renewal: Duration = .seconds(23 * 3600)) {
        self.client = client
        self.silence = silence
        self.renewal = renewal
    }

    /// How the channel is doing, for the footer of `watch`.
    public struct Health: Sendable, Equatable {
        /// A socket is connected and the service has answered on it.
        public var connected: Bool
        /// Since the last message (an event or a heartbeat); nil before the first.
        public var sinceLastMessage: Duration?
        public var reconnections: Int
        /// Why there is no channel (the caller polls), once that is known.
        public var unavailable: String?
    }

    public func health() -> Health {
        Health(
            connected: socketOpen && answered, sinceLastMessage: connections > 0 ? .now - lastMessage : nil,
            reconnections: reconnections, unavailable: unavailable?.description)
    }

    /// The events from now on; the stream ends when the channel is closed.
    public func events() -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self)
        let id = UUID()
        listeners[id] = continuation
        continuation.onTermination = { _ in Task { await self.removeListener(id) } }
        if connections > 0 { continuation.yield(.connected(again: false)) }
        return stream
    }

    private func removeListener(_ id: UUID) { listeners[id] = nil }

    /// Adds `newTopics` to the channel's (one PUT of them all), creating the channel and connecting its
    /// socket the first time. Throws ``Unavailable`` when there is no channel to be had (no permission,
    /// a URI the host rules refuse); the caller then polls, and later calls fail the same way at once.
    public func subscribe(_ newTopics: [String]) async throws {
        // One at a time: each PUT replaces the topics with all of them, so two at once could undo one.
        let previous = subscribing
        let this = Task {
            _ = try? await previous?.value
            try await self.subscribeNow(newTopics)
        }
        subscribing = this
        try await this.value
    }

    private var subscribing: Task<Void, any Error>?

    private func subscribeNow(_ newTopics: [String]) async throws {
        if let unavailable { throw unavailable }
        let added = newTopics.filter { !topics.contains($0) }
        guard !added.isEmpty || address == nil else { return }
        // A channel holds 1,000 topics: when full, those asked for longest ago (earlier commands') go.
        let asked = Set(newTopics)
        var wanted = topics.filter { !asked.contains($0) } + newTopics.filter { topics.contains($0) } + added
        wanted.removeFirst(max(0, wanted.count - Self.topicLimit))
        do {
            let channel = try await currentAddress()
            try Self.checkSocketURI(channel.connectURI)
            // Connected before the topics are subscribed: no event falls between the two. A socket that
            // cannot connect (a proxy without WebSockets) makes the channel unavailable, not a silent one.
            if connection == nil {
                connection = Task { await self.keepConnected() }
                guard await connected(within: connectTimeout) else {
                    connection?.cancel()
                    connection = nil
                    throw Unavailable(
                        description: "its socket did not connect within \(connectTimeout.components.seconds) s "
                            + "(a proxy without WebSockets?)")
                }
            }
            let rejected = try await client.replaceSubscriptions(channelID: channel.id, topics: wanted)
            topics = wanted.filter { rejected[$0] == nil }
            lastSubscribed = .now
            if let (topic, reason) = rejected.first {
                throw Unavailable(description: "the channel refused \(topic): \(reason)")
            }
        } catch let error as Unavailable {
            unavailable = error
            throw error
        } catch {
            let reason = Unavailable(description: (error as? GenesysError)?.shortDescription ?? "\(error)")
            unavailable = reason
            throw reason
        }
    }

    /// "Each WebSocket connection is limited to 1,000 topics."
    public static let topicLimit = 1_000

    /// How long a first socket may take to connect and be answered.
    let connectTimeout = Duration.seconds(10)
    private var connectionWaiters: [UUID: CheckedContinuation<Bool, Never>] = [:]

    private func connected(within timeout: Duration) async -> Bool {
        if socketOpen { return true }
        let id = UUID()
        return await withCheckedContinuation { continuation in
            connectionWaiters[id] = continuation
            Task {
                try? await Task.sleep(for: timeout)
                self.endConnectionWait(id, connected: false)
            }
        }
    }

    private func endConnectionWait(_ id: UUID, connected: Bool) {
        connectionWaiters.removeValue(forKey: id)?.resume(returning: connected)
    }

    /// True the first time it is asked after the channel proved unavailable: the one time to say so.
    public func isFirstFailureNotice() -> Bool {
        guard unavailable != nil, !failureNoticed else { return false }
        failureNoticed = true
        return true
    }

    private var failureNoticed = false

    /// Ends the socket (a close handshake of at most 2 s) and the listeners' streams.
    public func close() async {
        let running = connection
        connection = nil
        running?.cancel()
        await running?.value
        for listener in listeners.values { listener.finish() }
        listeners = [:]
        for id in connectionWaiters.keys { endConnectionWait(id, connected: false) }
    }

    private func currentAddress() async throws -> NotificationChannelAddress {
        if let address { return address }
        let created = try await client.createNotificationChannel()
        address = created
        return created
    }

    /// `wss` anywhere; plain `ws` only to a literal loopback address, as `http` for the API.
    public static func checkSocketURI(_ text: String) throws(Unavailable) {
        guard let url = URL(string: text), let host = url.host, let scheme = url.scheme?.lowercased() else {
            throw Unavailable(description: "the channel's connectUri is not a URL")
        }
        var name = host
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        switch scheme {
        case "wss": return
        case "ws" where IPAddress(name)?.isLoopback == true: return
        case "ws":
            throw Unavailable(description: "the channel's connectUri uses plain ws to \(host), not a loopback address")
        default: throw Unavailable(description: "the channel's connectUri has scheme \(scheme), not wss")
        }
    }

    // MARK: The socket

    private func keepConnected() async {
        var failures = 0
        while !Task.isCancelled, let channel = address {
            let connected = await connectOnce(channel.connectURI)
            failures = connected ? 0 : failures + 1
            guard !Task.isCancelled else { return }
            // Not even connected: the channel may be gone (expired, or replaced as the 21st). A new one
            // gets the same topics.
            if !connected, (try? await client.notificationChannelExists(id: channel.id)) == false {
                address = nil
                if (try? await currentAddress()) != nil, let renewed = address {
                    _ = try? await client.replaceSubscriptions(channelID: renewed.id, topics: topics)
                    lastSubscribed = .now
                }
            }
            if failures > 0 {
                try? await Task.sleep(for: .milliseconds(min(200 << min(failures, 6), 10_000)))
            }
        }
    }

    /// Connects, hands each message on, and returns when the socket ends: whether the service answered.
    private func connectOnce(_ uri: String) async -> Bool {
        answered = false
        var opened = false
        do {
            let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20, closeTimeout: .seconds(2))
            try await WebSocketClient.connect(
                url: uri, configuration: configuration, logger: Logger(label: "campaignsh.notifications")
            ) { inbound, outbound, _ in
                // Connected once the service answers (`pong`): by then it sends this socket every event.
                let attempt = await self.connecting()
                try await outbound.write(.text(#"{"message":"ping"}"#))
                // A service that does not answer pings (the pong is documented by no SDK) still counts as
                // connected a moment after the upgrade, as the SDKs count it at once.
                Task {
                    try await Task.sleep(for: Self.unansweredGrace)
                    await self.openedUnanswered(attempt)
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 22) {
                            guard case .text(let text) = message else { continue }
                            if await self.handle(text) { return }  // socket_closing: connect again
                        }
                    }
                    group.addTask {
                        while true {
                            try await Task.sleep(for: min(self.silence / 3, self.renewal / 4))
                            if await self.isSilent() { return }
                            await self.renewIfDue()
                        }
                    }
                    defer { group.cancelAll() }
                    try await group.next()
                }
            }
            opened = answered
        } catch {
            opened = answered
        }
        upgraded = false
        socketOpen = false
        return opened
    }

    private var answered = true

    /// How long after its `ping` an open socket counts as connected without an answer.
    static let unansweredGrace = Duration.milliseconds(500)
    private var attempts = 0
    /// The socket of the latest attempt is upgraded and not yet ended.
    private var upgraded = false

    private func openedUnanswered(_ attempt: Int) {
        if attempt == attempts, upgraded, !answered { opened() }
    }

    private func connecting() -> Int {
        attempts += 1
        upgraded = true
        lastMessage = .now
        answered = false
        return attempts
    }

    private func opened() {
        answered = true
        socketOpen = true
        for id in connectionWaiters.keys { endConnectionWait(id, connected: true) }
        connections += 1
        if connections > 1 { reconnections += 1 }
        for listener in listeners.values { listener.yield(.connected(again: connections > 1)) }
    }

    private func isSilent() -> Bool { ContinuousClock.now - lastMessage > silence }

    /// The same topics again, before the channel's 24 hours are up: a session may outlast a channel.
    private func renewIfDue() async {
        guard let address, !topics.isEmpty, ContinuousClock.now - lastSubscribed >= renewal else { return }
        lastSubscribed = .now
        _ = try? await client.replaceSubscriptions(channelID: address.id, topics: topics)
    }

    /// Hands a message on; true for `v2.system.socket_closing`.
    private func handle(_ text: String) -> Bool {
        lastMessage = .now
        if !answered { opened() }
        guard let message = try? JSONValue(parsing: Data(text.utf8)), let topic = message["topicName"]?.stringValue
        else { return false }
        if topic == "v2.system.socket_closing" { return true }
        let parts = topic.split(separator: ".")
        guard parts.count >= 4, parts[0] == "v2", parts[1] == "outbound", parts[2] == "campaigns",
            let body = message["eventBody"]
        else { return false }
        let id = String(parts[3])
        let event: Event? =
            switch parts.count {
            case 4: .campaign(id: id, document: body)
            case 5 where parts[4] == "progress": .progress(id: id, document: body)
            case 5 where parts[4] == "stats": .stats(id: id, document: body)
            default: nil
            }
        if let event { for listener in listeners.values { listener.yield(event) } }
        return false
    }
}
