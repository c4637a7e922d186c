import Foundation
import GenesysCloud
import GenesysEmulator
import GenesysTestSupport
import JSONDocument
import Testing

/// The client's notification channel against the emulator's: events in order, a socket that closes or
/// a channel that expires is connected again, and no channel at all is reported once.
@Suite struct NotificationChannelTests {
    static let east = EmulatorHarness.demoCampaignID("Q4_Promo_East")

    /// Collects the channel's events until `done` says so, within 20 s.
    static func collect(
        _ events: AsyncStream<NotificationChannel.Event>,
        until done: @escaping @Sendable ([NotificationChannel.Event]) -> Bool
    ) async throws -> [NotificationChannel.Event] {
        try await withThrowingTaskGroup(of: [NotificationChannel.Event]?.self) { group in
            group.addTask {
                var seen: [NotificationChannel.Event] = []
                for await event in events {
                    seen.append(event)
                    if done(seen) { return seen }
                }
                return seen
            }
            group.addTask {
                try await Task.sleep(for: .seconds(20))
                return nil
            }
            defer { group.cancelAll() }
            guard let seen = try await group.next() ?? nil else { throw TimedOut() }
            return seen
        }
    }

    struct TimedOut: Error {}

    static func statuses(_ events: [NotificationChannel.Event]) -> [String] {
        events.compactMap { event in
            if case .campaign(_, let document) = event { return document["campaignStatus"]?.stringValue }
            return nil
        }
    }

    static func channels(_ harness: EmulatorHarness) async throws -> [String] {
        let listed = try JSONValue(parsing: try await harness.control("GET", "/channels"))
        return listed["channels"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    @Test func aStopIsHeardAsStoppingThenOff() async throws {
        try await EmulatorHarness.run { harness in
            let channel = NotificationChannel(client: harness.client)
            let events = await channel.events()
            try await channel.subscribe(["v2.outbound.campaigns.\(Self.east)"])
            _ = try await Self.collect(events) { $0.contains(.connected(again: false)) }
            try await harness.client.stopCampaign(id: Self.east)
            let seen = try await Self.collect(events) { Self.statuses($0).contains("off") }
            #expect(Self.statuses(seen) == ["stopping", "off"], "\(seen)")
            let requests = await harness.requests(matching: "/api/v2/notifications")
            #expect(
                requests.map { $0.components(separatedBy: " ").prefix(1).joined() } == ["POST", "PUT"], "\(requests)")
            await channel.close()
        }
    }

    /// `v2.system.socket_closing`: the same channel, a new socket, and the events go on.
    @Test func aClosingSocketIsConnectedAgainToTheSameChannel() async throws {
        try await EmulatorHarness.run { harness in
            let channel = NotificationChannel(client: harness.client)
            let events = await channel.events()
            try await channel.subscribe(["v2.outbound.campaigns.\(Self.east)"])
            _ = try await Self.collect(events) { $0.contains(.connected(again: false)) }
            let id = try #require(try await Self.channels(harness).first)
            try await harness.control("POST", "/channels/\(id)/closing")
            _ = try await Self.collect(events) { $0.contains(.connected(again: true)) }
            #expect(try await Self.channels(harness) == [id])
            try await harness.client.stopCampaign(id: Self.east)
            let seen = try await Self.collect(events) { Self.statuses($0).contains("off") }
            #expect(Self.statuses(seen).last == "off")
            await channel.close()
        }
    }

    /// A channel that expired is gone (HEAD 404): a new one is created with the same topics.
    @Test func anExpiredChannelIsReplacedWithItsTopics() async throws {
        try await EmulatorHarness.run { harness in
            let channel = NotificationChannel(client: harness.client)
            let events = await channel.events()
            try await channel.subscribe(["v2.outbound.campaigns.\(Self.east)"])
            _ = try await Self.collect(events) { $0.contains(.connected(again: false)) }
            let old = try #require(try await Self.channels(harness).first)
            try await harness.control("POST", "/channels/\(old)/expire")
            _ = try await Self.collect(events) { $0.contains(.connected(again: true)) }
            let now = try await Self.channels(harness)
            #expect(now.count == 1 && now != [old], "\(now)")
            try await harness.client.stopCampaign(id: Self.east)
            let seen = try await Self.collect(events) { Self.statuses($0).contains("off") }
            #expect(Self.statuses(seen).last == "off")
            let heads = await harness.requests(matching: "/api/v2/notifications/channels/\(old)")
            #expect(heads.contains("HEAD /api/v2/notifications/channels/\(old) 404"), "\(heads)")
            await channel.close()
        }
    }

    /// A channel lives 24 hours from its last subscription: the client subscribes the same topics again
    /// before then (here after a renewal period of 1 s instead of 23 h), on the same channel.
    @Test func theChannelIsRenewedBeforeItExpires() async throws {
        try await EmulatorHarness.run { harness in
            let channel = NotificationChannel(client: harness.client, renewal: .seconds(1))
            let topic = "v2.outbound.campaigns.\(Self.east)"
            try await channel.subscribe([topic])
            let path = "/api/v2/notifications/channels/"
            for _ in 0..<250 where await harness.requests(matching: path).filter({ $0.hasPrefix("PUT") }).count < 3 {
                try await Task.sleep(for: .milliseconds(20))
            }
            let puts = await harness.requests(matching: path).filter { $0.hasPrefix("PUT") }
            #expect(puts.count >= 3, "\(puts)")
            #expect(Set(puts).count == 1, "the same channel each time: \(puts)")
            let listed = try JSONValue(parsing: try await harness.control("GET", "/channels"))
            let id = try #require(listed["channels"]?.arrayValue?.first?.stringValue)
            #expect(listed["topics"]?[id] == .array([.string(topic)]))
            await channel.close()
        }
    }

    /// No permission for channels: unavailable, said once, and not asked again.
    @Test func aRefusedChannelIsUnavailableOnce() async throws {
        try await EmulatorHarness.run { harness in
            try await harness.control(
                "POST", "/faults", #"{"status":403,"path":"/api/v2/notifications/channels","count":5}"#)
            let channel = NotificationChannel(client: harness.client)
            await #expect(throws: NotificationChannel.Unavailable.self) {
                try await channel.subscribe(["v2.outbound.campaigns.\(Self.east)"])
            }
            await #expect(throws: NotificationChannel.Unavailable.self) {
                try await channel.subscribe(["v2.outbound.campaigns.\(Self.east)"])
            }
            #expect(await harness.requests(matching: "/api/v2/notifications").count == 1)
        }
    }

    @Test func plainWebSocketsOnlyToALiteralLoopbackAddress() throws {
        try NotificationChannel.checkSocketURI("wss://streaming.mypurecloud.com/channels/x")
        try NotificationChannel.checkSocketURI("ws://127.0.0.1:8080/channels/x")
        try NotificationChannel.checkSocketURI("ws://[::1]:8080/channels/x")
        #expect(throws: NotificationChannel.Unavailable.self) {
            try NotificationChannel.checkSocketURI("ws://localhost:8080/channels/x")
        }
        #expect(throws: NotificationChannel.Unavailable.self) {
            try NotificationChannel.checkSocketURI("ws://streaming.example.com/channels/x")
        }
        #expect(throws: NotificationChannel.Unavailable.self) {
            try NotificationChannel.checkSocketURI("http://127.0.0.1/channels/x")
        }
    }

    /// A full channel (1,000 topics) drops the topics asked for longest ago, not the new ones; those
    /// asked again count as new.
    @Test func aFullChannelDropsTheOldestTopics() async throws {
        try await EmulatorHarness.run { harness in
            let channel = NotificationChannel(client: harness.client)
            let topics = (0..<1_300).map { "v2.outbound.campaigns.campaign-\($0)" }
            try await channel.subscribe(Array(topics[0..<600]))
            try await channel.subscribe([topics[0]] + Array(topics[600..<1_000]))
            try await channel.subscribe(Array(topics[1_000..<1_300]))
            let id = try #require(try await Self.channels(harness).first)
            let listed = try JSONValue(parsing: try await harness.control("GET", "/channels"))
            let kept = Set(listed["topics"]?[id]?.arrayValue?.compactMap(\.stringValue) ?? [])
            #expect(kept.count == 1_000)
            #expect(kept.contains(topics[0]), "asked again: kept")
            #expect(!kept.contains(topics[1]) && !kept.contains(topics[300]), "the oldest went")
            #expect(kept.isSuperset(of: topics[301..<1_300]))
            await channel.close()
        }
    }
}
