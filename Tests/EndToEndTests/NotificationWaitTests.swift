import Foundation
import GenesysEmulator
import GenesysTestSupport
import JSONDocument
import NIOHTTP1
import Testing

/// Waits on the notification channel (the default; `CAMPAIGNSH_NOTIFICATIONS=off` polls): a bulk pause
/// hears each stop end instead of polling, and falls back to polling, saying so once, without a channel.
@Suite struct NotificationWaitTests {
    static func apiRequests(_ emulator: RunningEmulator) async -> [String] {
        await emulator.requests().filter { $0.path.hasPrefix("/api/v2/") }.map { "\($0.method) \($0.path)" }
    }

    /// The running campaigns of the demo org, paused at once: the listing, the channel and its one
    /// subscription, the stops, and no poll (the reads of what else drives them apart).
    @Test func aBulkPauseHearsEachStopWithoutPolling() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let paused = try await ShellProcess.run(
                ["-c", "pause --all --yes --timeout 60s --format csv --no-headers --columns campaign,toStatus"],
                home: home)
            #expect(paused.status == 0, "\(paused.stderr)")
            let lines = Set(paused.stdout.split(whereSeparator: \.isNewline).map(String.init))
            // Three stopped, and Collections_90day, which was stopping, heard of when it was off.
            for name in ["Q4_Promo_East", "Q4_Promo_West", "Collections_30day", "Collections_90day"] {
                #expect(lines.contains("\(name),off"), "\(name): \(paused.stdout)")
            }
            let requests = await Self.apiRequests(emulator)
            let drivers = requests.filter {
                $0.hasPrefix("GET /api/v2/outbound/schedules/") || $0.hasPrefix("GET /api/v2/outbound/campaignrules")
                    || $0.hasPrefix("GET /api/v2/outbound/sequences")
            }
            let rest = requests.filter { !drivers.contains($0) }
            #expect(rest.filter { $0.hasSuffix("/stop") }.count == 3, "\(rest)")
            #expect(rest.contains("POST /api/v2/notifications/channels"), "\(rest)")
            #expect(rest.filter { $0.hasSuffix("/subscriptions") }.count == 1, "\(rest)")
            // N + 4: the listing, the channel, its subscriptions, one spare read.
            #expect(rest.count <= 3 + 4, "\(rest)")
        }
    }

    /// A service that does not answer the client's ping (no SDK documents the pong): the socket counts as
    /// connected a moment after its upgrade, and the stop is heard, not polled for.
    @Test func aServiceThatDoesNotAnswerPingsIsHeardAllTheSame() async throws {
        var configuration = EmulatorConfiguration()
        configuration.answersPings = false
        try await GenesysEmulator.withRunning(configuration) { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let paused = try await ShellProcess.run(["-c", "pause Q4_Promo_East --timeout 60s"], home: home)
            #expect(paused.status == 0, "\(paused.stderr)")
            #expect(!paused.stderr.contains("warning: notifications"), "\(paused.stderr)")
            #expect(paused.stdout.contains("\ton\toff\tsuccess"), "\(paused.stdout)")
            let requests = await Self.apiRequests(emulator)
            #expect(requests.filter { $0 == "GET /api/v2/outbound/campaigns" }.count == 1, "\(requests)")
        }
    }

    /// `CAMPAIGNSH_NOTIFICATIONS=off`: no channel, the wait polls.
    @Test func notificationsOffPolls() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home(environment: ["CAMPAIGNSH_NOTIFICATIONS": "off"])
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let paused = try await ShellProcess.run(["-c", "pause Q4_Promo_East --timeout 60s"], home: home)
            #expect(paused.status == 0, "\(paused.stderr)")
            let requests = await Self.apiRequests(emulator)
            #expect(!requests.contains { $0.contains("/notifications/") }, "\(requests)")
            #expect(requests.filter { $0 == "GET /api/v2/outbound/campaigns" }.count >= 2, "polled: \(requests)")
        }
    }

    /// No permission for channels: one warning, and the pause waits by polling as before.
    @Test func withoutAChannelAPauseWaitsByPolling() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            _ = try await RawHTTP.send(
                .POST, emulator.baseURL + "/emulator/v1/faults",
                body: #"{"status":403,"path":"/api/v2/notifications/channels","count":10}"#)
            let paused = try await ShellProcess.run(["-c", "pause Q4_Promo_East --timeout 60s"], home: home)
            #expect(paused.status == 0, "\(paused.stderr)")
            #expect(paused.stderr.components(separatedBy: "warning: notifications:").count == 2, "\(paused.stderr)")
            #expect(paused.stderr.contains("waiting by polling"), "\(paused.stderr)")
            #expect(paused.stdout.contains("\ton\toff\tsuccess"), "\(paused.stdout)")
        }
    }
}

extension NotificationWaitTests {
    /// Neither the `stopping` nor the `off` event arrives: the wait reads again after 15 s without news
    /// and ends.
    @Test func aMissedEventIsHealedByARead() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            _ = try await RawHTTP.send(
                .POST, emulator.baseURL + "/emulator/v1/notifications/skip", body: #"{"count":2}"#)
            let paused = try await ShellProcess.run(["-c", "pause Q4_Promo_East --timeout 60s"], home: home)
            #expect(paused.status == 0, "\(paused.stderr)")
            #expect(paused.stdout.contains("\ton\toff\tsuccess"), "\(paused.stdout)")
            let requests = await Self.apiRequests(emulator)
            // The selection's listing (the channel was subscribed before the stop), and the one read that
            // healed the missed events.
            #expect(requests.filter { $0 == "GET /api/v2/outbound/campaigns" }.count == 2, "\(requests)")
        }
    }

    /// The socket drops while the stop is under way: the shell connects again to the same channel,
    /// reads what it may have missed, and the wait ends as it would have.
    @Test func aDroppedSocketIsConnectedAgainDuringAWait() async throws {
        var configuration = EmulatorConfiguration()
        configuration.stoppingDelay = .seconds(4)
        try await GenesysEmulator.withRunning(configuration) { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            async let paused = ShellProcess.run(["-c", "pause Q4_Promo_East --timeout 60s"], home: home)
            var channel: String?
            for _ in 0..<200 where channel == nil {
                try await Task.sleep(for: .milliseconds(20))
                let listed = try await RawHTTP.send(.GET, emulator.baseURL + "/emulator/v1/channels").json
                channel = listed["channels"]?.arrayValue?.first?.stringValue
            }
            let id = try #require(channel)
            try await Task.sleep(for: .milliseconds(500))
            let dropped = try await RawHTTP.send(.POST, emulator.baseURL + "/emulator/v1/channels/\(id)/drop")
            #expect(dropped.status == 204)
            let result = try await paused
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("\ton\toff\tsuccess"), "\(result.stdout)")
            let listed = try await RawHTTP.send(.GET, emulator.baseURL + "/emulator/v1/channels").json
            #expect(listed["channels"]?.arrayValue?.compactMap(\.stringValue) == [id], "the same channel")
        }
    }
}
