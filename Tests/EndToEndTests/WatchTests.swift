import AuditStore
import Foundation
import GenesysEmulator
import GenesysTestSupport
import JSONDocument
import NIOHTTP1
import Testing

/// `watch` and `wait` on the notification channel: changes shown in the order the org made them, no
/// poll while the channel serves, a dropped socket and a missed event healed by a read.
@Suite struct WatchTests {
    static let east = "c0ffee01-5eed-4001-8001-000000000001"
    static let west = "c0ffee01-5eed-4001-8002-000000000002"

    /// Changes no client makes (the dialer calling, a campaign forced off), through the control API.
    static func change(_ emulator: RunningEmulator, _ id: String, _ body: String) async throws {
        let answer = try await RawHTTP.send(
            .POST, emulator.baseURL + "/emulator/v1/campaigns/\(id)/state", body: body)
        #expect(answer.status == 200)
    }

    /// Waits until a shell has subscribed its channel and then read the campaigns: it is listening. The
    /// index of the last request by then.
    static func listening(_ emulator: RunningEmulator, after read: String = "/api/v2/outbound/campaigns")
        async throws -> Int
    {
        for _ in 0..<500 {
            let requests = await emulator.requests()
            if let subscribed = requests.lastIndex(where: { $0.path.hasSuffix("/subscriptions") }),
                let first = requests[subscribed...].lastIndex(where: { $0.path == read })
            {
                return first
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the shell never subscribed")
        return 0
    }

    static func channel(_ emulator: RunningEmulator) async throws -> String? {
        let listed = try await RawHTTP.send(.GET, emulator.baseURL + "/emulator/v1/channels").json
        return listed["channels"]?.arrayValue?.first?.stringValue
    }

    /// Outside a terminal, one JSON line per change, in the order the org made them; `--until` ends the
    /// watch once it holds on both, and nothing is read again meanwhile (the channel told everything).
    @Test func watchWritesEachChangeInOrderAndEndsWhenTheConditionHolds() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            async let watched = ShellProcess.run(
                ["-c", "watch Q4_Promo_East Q4_Promo_West --until status == off --timeout 60s"], home: home)
            // Its first read after the subscription ends with the stats of those dialing: then it listens.
            let listened = try await Self.listening(emulator, after: "/api/v2/outbound/campaigns/\(Self.west)/stats")
            try await Self.change(emulator, Self.east, #"{"contactsCalled": 6000}"#)
            try await Self.change(emulator, Self.east, #"{"campaignStatus": "off"}"#)
            try await Self.change(emulator, Self.west, #"{"campaignStatus": "off"}"#)
            let result = try await watched
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(whereSeparator: \.isNewline).compactMap {
                try? JSONValue(parsing: Data($0.utf8))
            }
            let east = lines.filter { $0["id"]?.stringValue == Self.east }
            // The control API's change of progress also edits the campaign (a new version): the campaign's
            // event, then its progress, as the emulator sent them.
            #expect(
                east.map { "\($0["source"]?.stringValue ?? "") \($0["topic"]?.stringValue ?? "")" }.prefix(3) == [
                    "read campaign", "event campaign", "event progress",
                ], "\(result.stdout)")
            #expect(east.dropFirst().first?["change"]?.stringValue?.hasPrefix("edited") == true, "\(result.stdout)")
            #expect(east.first?["status"] == "on")
            #expect(east.contains { $0["contactsCalled"] == 6000 && $0["status"] == "on" }, "\(result.stdout)")
            let off = east.firstIndex { $0["status"] == "off" && $0["topic"] == "campaign" }
            let called = east.firstIndex { $0["contactsCalled"] == 6000 }
            #expect(off != nil && called != nil && called! < off!, "progress before the stop: \(result.stdout)")
            #expect(east[off!]["change"] == "on → off")
            #expect(east[called!]["topic"] == "progress" && east[called!]["change"] == nil, "\(result.stdout)")
            let west = lines.filter { $0["id"]?.stringValue == Self.west }
            #expect(west.last?["status"] == "off", "\(result.stdout)")
            // Nothing read after it started listening: every change came on the channel.
            let after = await emulator.requests().dropFirst(listened + 1).filter { $0.path.hasPrefix("/api/v2/") }
            #expect(after.isEmpty, "\(after.map(\.path))")
        }
    }

    /// The socket drops while a campaign changes: the watch connects to the same channel again, reads
    /// what it may have missed, and ends as it would have.
    @Test func aDroppedSocketDoesNotLoseTheWatch() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            async let watched = ShellProcess.run(
                ["-c", "watch Q4_Promo_East --until status == off --timeout 60s"], home: home)
            let listened = try await Self.listening(emulator, after: "/api/v2/outbound/campaigns/\(Self.east)/stats")
            let id = try #require(try await Self.channel(emulator))
            let dropped = try await RawHTTP.send(.POST, emulator.baseURL + "/emulator/v1/channels/\(id)/drop")
            #expect(dropped.status == 204)
            try await Self.change(emulator, Self.east, #"{"campaignStatus": "off"}"#)
            let result = try await watched
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains(#""status":"off""#), "\(result.stdout)")
            #expect(try await Self.channel(emulator) == id, "the same channel")
            // Once connected again it read the campaign: at most that listing (and its figures) since.
            let after = await emulator.requests().dropFirst(listened + 1).filter { $0.path.hasPrefix("/api/v2/") }
            #expect(after.filter { $0.path == "/api/v2/outbound/campaigns" }.count <= 1, "\(after.map(\.path))")
            #expect(!after.contains { $0.method == "POST" && $0.path.hasSuffix("/channels") }, "no new channel")
        }
    }

    /// `wait` hears the change on the channel; an event the socket never carried is healed by the read
    /// after 15 s without news.
    @Test func aWaitHealsAMissedEventWithOneRead() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            async let waited = ShellProcess.run(
                ["-c", "wait status == off --campaign Q4_Promo_East --timeout 60s"], home: home)
            let listened = try await Self.listening(emulator)
            _ = try await RawHTTP.send(
                .POST, emulator.baseURL + "/emulator/v1/notifications/skip", body: #"{"count":1}"#)
            try await Self.change(emulator, Self.east, #"{"campaignStatus": "off"}"#)
            let result = try await waited
            #expect(result.status == 0, "\(result.stderr)")
            let after = await emulator.requests().dropFirst(listened + 1).filter { $0.path.hasPrefix("/api/v2/") }
            #expect(after.map(\.path) == ["/api/v2/outbound/campaigns"], "one healing read")
        }
    }

    /// Without the channel (no permission) `watch` says so once and polls.
    @Test func withoutAChannelWatchPolls() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            _ = try await RawHTTP.send(
                .POST, emulator.baseURL + "/emulator/v1/faults",
                body: #"{"status":403,"path":"/api/v2/notifications/channels","count":10}"#)
            async let watched = ShellProcess.run(
                ["-c", "watch Q4_Promo_East --until status == off --timeout 60s --every 200ms"], home: home)
            for _ in 0..<500 where await !emulator.requests().contains(where: { $0.status == 403 }) {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await Self.change(emulator, Self.east, #"{"campaignStatus": "off"}"#)
            let result = try await watched
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.components(separatedBy: "warning: notifications:").count == 2, "\(result.stderr)")
            #expect(result.stderr.contains("watching by polling"), "\(result.stderr)")
            #expect(result.stdout.contains(#""change":"on → off""#), "\(result.stdout)")
        }
    }

    /// A pipe whose reader has gone (`| head`) ends the watch: with a condition that never holds and a
    /// timeout, only that can make it end with 0 (the timeout would be exit 3).
    @Test func watchEndsWhenThePipeReaderLeaves() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let result = try await ShellProcess.run(
                ["-c", "watch --all --until status == never --timeout 2m | head -n 2"], home: home)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.split(whereSeparator: \.isNewline).count == 2, "\(result.stdout)")
        }
    }

    /// In a runbook: the plan checks `--until` against the org its lines leave (Q4_Promo_East paused:
    /// it holds), apply watches until it holds live; a condition the plan's lines cannot make hold
    /// stops the run before any change.
    @Test func watchUntilWorksInARunbook() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            try "pause Q4_Promo_East\nwatch Q4_Promo_East --until status == off --timeout 60s > watched.jsonl\n"
                .write(to: home.url.appending(path: "stop.cmds"), atomically: true, encoding: .utf8)
            let stopped = try await ShellProcess.run(["stop.cmds"], home: home)
            #expect(stopped.status == 0, "\(stopped.stderr)")
            let lines = try String(contentsOf: home.url.appending(path: "watched.jsonl"), encoding: .utf8)
            #expect(lines.contains(#""status":"off""#), "\(lines)")
            try "pause Q4_Promo_West\nwatch Q4_Promo_West --until status == on --timeout 60s\n"
                .write(to: home.url.appending(path: "never.cmds"), atomically: true, encoding: .utf8)
            let never = try await ShellProcess.run(["never.cmds"], home: home)
            #expect(never.status == 3, "\(never.stderr)")
            #expect(never.stderr.contains("will not hold on Q4_Promo_West"), "\(never.stderr)")
            let stops = await emulator.requests().filter { $0.path.hasSuffix("/stop") }
            #expect(stops.count == 1, "only the first runbook stopped a campaign: \(stops.map(\.path))")
        }
    }

    /// `--timeout` that runs out before `--until` holds: exit 3, saying what each campaign has.
    @Test func watchUntilTimesOutWithExitThree() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let result = try await ShellProcess.run(
                ["-c", "watch Q4_Promo_East --until status == off --timeout 1s"], home: home)
            #expect(result.status == 3, "\(result.stderr)")
            #expect(
                result.stderr.contains("timed out after 1s waiting for status == off; on Q4_Promo_East status is on"),
                "\(result.stderr)")
        }
    }

    /// On a terminal: a table redrawn in place as events arrive, with the channel's health in its footer;
    /// a dropped socket shows as a reconnection; Ctrl-C leaves it for the prompt.
    @Test func onATerminalTheTableChangesInPlace() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let shell = try TerminalSession([], home: home, rows: 30)
            #expect(await shell.waitFor("> "), "screen: \(shell.text)")
            let before = shell.shownLength
            shell.type("watch Q4_Promo_East Q4_Promo_West\r")
            #expect(await shell.waitFor("2 campaigns: 2 on", after: before), "screen: \(shell.text)")
            #expect(await shell.waitFor("channel connected", after: before), "screen: \(shell.text)")
            _ = try await Self.listening(emulator, after: "/api/v2/outbound/campaigns/\(Self.west)/stats")
            let id = try #require(try await Self.channel(emulator))
            var offset = shell.shownLength
            try await Self.change(emulator, Self.east, #"{"campaignStatus": "off"}"#)
            #expect(await shell.waitFor("on → off", after: offset), "screen: \(shell.text)")
            #expect(await shell.waitFor("2 campaigns: 1 off, 1 on", after: offset), "screen: \(shell.text)")
            // Redrawn in place: back up over the table drawn before.
            #expect(shell.text.contains("\u{1B}[J"), "screen: \(shell.text)")
            offset = shell.shownLength
            _ = try await RawHTTP.send(.POST, emulator.baseURL + "/emulator/v1/channels/\(id)/drop")
            #expect(await shell.waitFor("reconnected 1×", after: offset), "screen: \(shell.text)")
            offset = shell.shownLength
            try await Self.change(emulator, Self.west, #"{"campaignStatus": "off"}"#)
            #expect(await shell.waitFor("2 campaigns: 2 off", after: offset), "screen: \(shell.text)")
            // A change made by campaignsh names who made it, from the audit they share.
            offset = shell.shownLength
            let activated = try await ShellProcess.run(["-c", "activate Q4_Promo_East"], home: home)
            #expect(activated.status == 0, "\(activated.stderr)")
            let maker = AuditActor.current(profile: nil, clientID: nil)
            #expect(await shell.waitFor("off → on", after: offset), "screen: \(shell.text)")
            #expect(await shell.waitFor("\(maker.osUser)@\(maker.host)", after: offset), "screen: \(shell.text)")
            offset = shell.shownLength
            shell.type("\u{3}")
            #expect(await shell.waitFor("> ", after: offset), "screen: \(shell.text)")
            shell.type("exit\r")
            #expect(await shell.exitStatus() == 0, "screen: \(shell.text)")
        }
    }

    /// `activate --wait` when the dialer takes a while to carry out `POST …/start` (the emulator's guess
    /// `startDelay`): without --wait it reports the `off` it read; with it, the `on` heard on the channel,
    /// without polling for it.
    @Test func activateWaitsUntilTheDialerHasItOn() async throws {
        var configuration = EmulatorConfiguration()
        configuration.startDelay = .seconds(2)
        try await GenesysEmulator.withRunning(configuration) { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let columns = ["--format", "csv", "--no-headers", "--columns", "campaign,toStatus"].joined(separator: " ")
            let quick = try await ShellProcess.run(
                ["-c", "activate Retention_Save --via start --override agents --reason 'no agents yet' \(columns)"],
                home: home)
            #expect(quick.status == 0, "\(quick.stderr)")
            #expect(quick.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "Retention_Save,off")
            let started = try await ShellProcess.run(
                ["-c", "activate Q4_Renewals --via start --wait --timeout 30s \(columns)"], home: home)
            #expect(started.status == 0, "\(started.stderr)")
            #expect(started.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "Q4_Renewals,on")
            let requests = await emulator.requests().map { "\($0.method) \($0.path)" }
            let start = try #require(requests.lastIndex { $0.hasSuffix("/start") })
            // After the start: the read of it (still off), then nothing until the channel told of `on`.
            let after = requests[(start + 1)...].filter { $0.contains("/api/v2/") }
            #expect(after.count == 1 && after.first?.hasPrefix("GET /api/v2/outbound/campaigns/") == true, "\(after)")
        }
    }
}
