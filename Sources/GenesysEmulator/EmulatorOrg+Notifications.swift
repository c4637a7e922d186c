import Foundation
import JSONDocument

/// The notification service: channels (`POST /api/v2/notifications/channels`), their subscriptions, and
/// the messages pushed to the WebSocket of each (``NotificationSocket``), in the order the org changed.
struct NotificationChannel {
    var id: String
    var topics: [String] = []
    var expires: Date
    /// The connected socket's queue; connecting a second socket ends the first (one per channel).
    var socket: AsyncStream<ChannelMessage>.Continuation?
    var socketSerial = 0
    var lastConnected: Date?
}

/// What the emulator sends on a channel's socket.
enum ChannelMessage: Sendable {
    case text(String)
    /// Ends the socket: with a close frame (`socket_closing`, expiry) or abruptly (a dropped connection).
    case close(clean: Bool)
}

extension EmulatorOrg {
    /// "There is a limit of 20 channels per user/app combination" (the SDK's docstring).
    static let channelLimit = 20
    /// "Each WebSocket connection is limited to 1,000 topics."
    static let topicLimit = 1_000
    /// "Channels remain active for 24 hours", a subscription renewing it.
    static let channelLifetime: TimeInterval = 86_400

    // MARK: API

    /// `POST /api/v2/notifications/channels`: a 21st channel replaces the oldest one without a socket
    /// (the oldest of all when each has one).
    func createChannel() -> Reply {
        let id = UUID().uuidString.lowercased()
        if channelOrder.count >= Self.channelLimit {
            let replaced = channelOrder.first { channels[$0]?.socket == nil } ?? channelOrder[0]
            dropChannel(replaced)
        }
        let expires = now.addingTimeInterval(Self.channelLifetime)
        channels[id] = NotificationChannel(id: id, expires: expires)
        channelOrder.append(id)
        let channel: JSONObject = [
            "id": .string(id), "connectUri": .string("\(socketBaseURL ?? "ws://127.0.0.1:0")/channels/\(id)"),
            "expires": .string(Self.timestamp(expires)),
        ]
        return .document(channel, as: "Channel")
    }

    /// `HEAD /api/v2/notifications/channels/{id}`: 200 while it exists, 404 once it is gone or expired.
    func channelExists(_ id: String) -> Reply {
        expireChannels()
        return channels[id] == nil ? Reply(status: 404, body: .none) : Reply(status: 200, body: .none)
    }

    /// `GET|PUT|POST|DELETE …/channels/{id}/subscriptions`: PUT replaces the topics, POST adds to them.
    func subscriptions(_ method: String, _ id: String, _ body: [UInt8]) -> Reply {
        expireChannels()
        guard var channel = channels[id] else { return .notFound("channel") }
        return replying { () throws(ReplyError) -> Reply in
            switch method {
            case "GET": break
            case "DELETE": channel.topics = []
            case "PUT", "POST":
                let value = try RequestBody.parse(body)
                guard let elements = value.arrayValue else {
                    throw ReplyError(
                        .badRequest("The body must be a list of topics, not \(SDKSchema.describe(value))."))
                }
                var topics = method == "PUT" ? [] : channel.topics
                for element in elements {
                    guard let topic = element["id"]?.stringValue, Self.isKnownTopic(topic) else {
                        throw ReplyError(.badRequest("Unknown topic \(element["id"]?.jsonText ?? element.jsonText)."))
                    }
                    if !topics.contains(topic) { topics.append(topic) }
                }
                guard topics.count <= Self.topicLimit else {
                    throw ReplyError(.badRequest("A channel is limited to \(Self.topicLimit) topics."))
                }
                channel.topics = topics
                channel.expires = now.addingTimeInterval(Self.channelLifetime)
                scheduleSettling(of: topics)
            default: return .notFound()
            }
            channels[id] = channel
            let entities: [JSONValue] = channel.topics.map { ["id": .string($0), "state": "Permitted"] }
            let listing: JSONObject = ["entities": .array(entities)]
            return .document(listing, as: "ChannelTopicEntityListing")
        }
    }

    /// A campaign already stopping when it is subscribed to (one seeded so) is heard of when it is off.
    private func scheduleSettling(of topics: [String]) {
        for topic in topics {
            let id = String(topic.split(separator: ".").dropFirst(3).first ?? "")
            guard let since = campaigns[id]?.stoppingSince else { continue }
            let due = configuration.stoppingDelay - (ContinuousClock.now - since)
            Task { [weak self] in
                try? await Task.sleep(for: max(due, .zero))
                await self?.settleWhenDue(id)
            }
        }
    }

    /// `v2.outbound.campaigns.{id}`, with `.progress` or `.stats` after it.
    static func isKnownTopic(_ topic: String) -> Bool {
        let parts = topic.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 || parts.count == 5, parts[0] == "v2", parts[1] == "outbound",
            parts[2] == "campaigns", !parts[3].isEmpty
        else { return false }
        return parts.count == 4 || ["progress", "stats"].contains(parts[4])
    }

    // MARK: The socket

    /// A socket connecting to the channel: the messages to send it, or nil when there is no such channel.
    func attachSocket(_ id: String) -> (serial: Int, messages: AsyncStream<ChannelMessage>)? {
        expireChannels()
        guard var channel = channels[id] else { return nil }
        channel.socket?.yield(.close(clean: true))
        channel.socket?.finish()
        let (messages, continuation) = AsyncStream.makeStream(of: ChannelMessage.self)
        channel.socket = continuation
        channel.socketSerial += 1
        channel.lastConnected = now
        channels[id] = channel
        return (channel.socketSerial, messages)
    }

    func detachSocket(_ id: String, serial: Int) {
        guard channels[id]?.socketSerial == serial else { return }
        channels[id]?.socket?.finish()
        channels[id]?.socket = nil
    }

    /// The `channel.metadata` heartbeat every connected socket gets.
    func sendHeartbeats() {
        let heartbeat: JSONValue = ["topicName": "channel.metadata", "eventBody": ["message": "WebSocket Heartbeat"]]
        for channel in channels.values { channel.socket?.yield(.text(heartbeat.jsonText)) }
    }

    /// `{"message":"ping"}` from a client is answered with a `pong` on `channel.metadata`.
    func pong(_ id: String) {
        guard configuration.answersPings else { return }
        let pong: JSONValue = ["topicName": "channel.metadata", "eventBody": ["message": "pong"]]
        channels[id]?.socket?.yield(.text(pong.jsonText))
    }

    // MARK: Control

    /// `POST /emulator/v1/channels/{id}/{closing|drop|expire}`: warns with `v2.system.socket_closing` and
    /// closes the socket, drops it without a word, or ends the channel (HEAD then answers 404).
    func controlChannel(_ id: String, _ action: String) -> Reply {
        guard channels[id] != nil else { return .notFound("channel") }
        switch action {
        case "closing":
            let closing: JSONValue = [
                "topicName": "v2.system.socket_closing",
                "eventBody": ["message": "The WebSocket is closing for maintenance: connect a new one."],
            ]
            channels[id]?.socket?.yield(.text(closing.jsonText))
            channels[id]?.socket?.yield(.close(clean: true))
        case "drop": channels[id]?.socket?.yield(.close(clean: false))
        case "expire": dropChannel(id)
        default: return .notFound()
        }
        return .noContent
    }

    func skipEvents(_ count: Int) { skippedEvents += count }

    /// The channel ids, newest last, and each one's topics, for tests.
    func channelIDs() -> Reply {
        var topics = JSONObject()
        for id in channelOrder { topics[id] = .array((channels[id]?.topics ?? []).map(JSONValue.string)) }
        return .unchecked(["channels": .array(channelOrder.map(JSONValue.string)), "topics": .object(topics)])
    }

    // MARK: Publishing

    /// Pushes what changed between `before` and `campaigns` to the channels subscribed to it: the campaign
    /// (status or version) on `v2.outbound.campaigns.{id}`, its progress on `….progress`, its stats on
    /// `….stats` (❓ what the real topic carries: here the body of `GET …/stats`). The next
    /// `skippedEvents` are not sent, as a socket can miss them.
    func publishChanges(from before: [String: StoredCampaign]) {
        guard channels.values.contains(where: { $0.socket != nil && !$0.topics.isEmpty }) else { return }
        for id in campaignOrder {
            guard let after = campaigns[id] else { continue }
            let previous = before[id]
            if previous?.status != after.status || previous?.version != after.version {
                publish("v2.outbound.campaigns.\(id)", body: .object(after.document))
            }
            if previous?.contactsCalled != after.contactsCalled || previous?.totalContacts != after.totalContacts {
                publish("v2.outbound.campaigns.\(id).progress", body: progressBody(after))
            }
            if previous?.status != after.status || previous?.contactsCalled != after.contactsCalled {
                publish("v2.outbound.campaigns.\(id).stats", body: .object(statsDocument(of: after)))
            }
        }
    }

    /// `….stats` of the campaigns on these queues: their idle agents changed.
    func publishStats(ofCampaignsOn queueIDs: Set<String>) {
        guard channels.values.contains(where: { $0.socket != nil && !$0.topics.isEmpty }) else { return }
        for id in campaignOrder {
            guard let stored = campaigns[id], let queue = stored.id(of: "queue"), queueIDs.contains(queue) else {
                continue
            }
            publish("v2.outbound.campaigns.\(id).stats", body: .object(statsDocument(of: stored)))
        }
    }

    private func publish(_ topic: String, body: JSONValue) {
        let subscribed = channels.values.filter { $0.socket != nil && $0.topics.contains(topic) }
        guard !subscribed.isEmpty else { return }
        if skippedEvents > 0 {
            skippedEvents -= 1
            return
        }
        let message: JSONValue = [
            "topicName": .string(topic), "version": "2", "eventBody": body,
            "metadata": ["CorrelationId": .string(UUID().uuidString.lowercased())],
        ]
        for channel in subscribed { channel.socket?.yield(.text(message.jsonText)) }
    }

    private func progressBody(_ stored: StoredCampaign) -> JSONValue {
        [
            "campaign": ["id": stored.document["id"] ?? .null, "name": stored.document["name"] ?? .null],
            "numberOfContactsCalled": JSONValue(stored.contactsCalled),
            "totalNumberOfContacts": JSONValue(stored.totalContacts),
            "percentage": JSONValue(stored.totalContacts > 0 ? stored.contactsCalled * 100 / stored.totalContacts : 0),
        ]
    }

    private func dropChannel(_ id: String) {
        channels[id]?.socket?.yield(.close(clean: true))
        channels[id]?.socket?.finish()
        channels[id] = nil
        channelOrder.removeAll { $0 == id }
    }

    private func expireChannels() {
        for (id, channel) in channels where channel.expires <= now { dropChannel(id) }
    }
}
