import Foundation
import GenesysEmulator
import GenesysTestSupport
import JSONDocument
import NIOHTTP1
import Testing

/// Waits on the notification channel (opt-in for now: `CAMPAIGNSH_NOTIFICATIONS=on`): a bulk pause hears
/// each stop end instead of polling, and falls back to polling, saying so once, without a channel.
@Suite struct NotificationWaitTests {
    static func apiRequests(_ emulator: RunningEmulator) async -> [String] {
        await emulator.requests().filter { $0.path.hasPrefix("/api/v2/") }.map { "\($0.method) \($0.path)" }
    }

    /// The running campaigns of the demo org, paused at once: the listing, the channel and its one
    /// subscription, the stops, and no poll (the reads of what else drives them apart).
    @Test func aBulkPauseHearsEachStopWithoutPolling() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home(environment: ["CAMPAIGNSH_NOTIFICATIONS": "on"])
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

    /// No permission for channels: one warning, and the pause waits by polling as before.
    @Test func withoutAChannelAPauseWaitsByPolling() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home(environment: ["CAMPAIGNSH_NOTIFICATIONS": "on"])
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
