import Foundation
import GenesysEmulator
import GenesysTestSupport
import JSONDocument
import NIOHTTP1
import Testing

extension DriversTests {
    /// A sequence that is off but scheduled: `why` and `pause` name its schedule, `pause --hold` takes
    /// the campaign out of it (the other campaign still runs when the window opens), and `release` puts it
    /// back where the sequence now is.
    @Test func aHeldPauseTakesTheCampaignOutOfAScheduledSequence() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let (east, west) = (Self.id(1), Self.id(2))
            try await Self.put(
                emulator, "sequences", "seq-ew",
                #"{"name":"East then West","status":"off","currentCampaign":0,"campaigns":[{"id":"\#(east)"},{"id":"\#(west)"}]}"#
            )
            let now = Date()
            try await Self.put(
                emulator, "sequenceschedules", "seq-ew",
                #"{"name":"Evening","timeZone":"UTC","sequence":{"id":"seq-ew"},"intervals":[{"start":"\#(Self.iso(now.addingTimeInterval(3600)))","end":"\#(Self.iso(now.addingTimeInterval(7200)))"}]}"#
            )
            let why = try await ShellProcess.run(["-c", "why Q4_Promo_East --format json"], home: home)
            let reasons = (try? JSONValue(parsing: Data(why.stdout.utf8)))?["reasons"]?.arrayValue ?? []
            #expect(
                reasons.contains {
                    $0["code"] == "sequence-schedule"
                        && $0["text"]?.stringValue?.hasPrefix(
                            "the sequence 'East then West' (campaign 1 of 2) is scheduled from")
                            == true
                }, "\(why.stdout)")

            // West is paused plainly: it is warned of, not held.
            let paused = try await ShellProcess.run(["-c", "pause Q4_Promo_West"], home: home)
            #expect(
                paused.stderr.contains(
                    "warning: Q4_Promo_West: the schedule of the sequence 'East then West' starts it at"),
                "\(paused.stderr)")

            let audit = home.url.appending(path: "a.sqlite").path
            let held = try await ShellProcess.run(
                ["--audit-db", audit, "-c", "pause Q4_Promo_East --hold --yes"], home: home)
            #expect(held.status == 0, "\(held.stderr)")
            #expect(held.stderr.contains("take it out of the sequence 'East then West'"), "\(held.stderr)")
            let token = try await RawHTTP.token(
                emulator.baseURL, clientID: "campaignsh-sandbox", clientSecret: "sandbox-secret")
            let read = { (path: String) in
                try await RawHTTP.send(
                    .GET, emulator.baseURL + "/api/v2/outbound/" + path, headers: [("Authorization", "Bearer \(token)")]
                ).json
            }
            let members = { (sequence: JSONValue) in
                sequence["campaigns"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            }
            #expect(members(try await read("sequences/seq-ew")) == [west])

            // The window opens: the sequence runs West; East stays off.
            _ = try await RawHTTP.send(
                .POST, emulator.baseURL + "/emulator/v1/clock", body: #"{"advanceSeconds":3660}"#)
            #expect(try await read("campaigns/\(east)")["campaignStatus"] == "off")
            #expect(try await read("campaigns/\(west)")["campaignStatus"] == "on")

            let released = try await ShellProcess.run(["--audit-db", audit, "-c", "release Q4_Promo_East"], home: home)
            #expect(released.status == 0, "\(released.stderr)")
            #expect(released.stderr.contains("put it back in the sequence 'East then West'"), "\(released.stderr)")
            let back = try await read("sequences/seq-ew")
            #expect(members(back) == [east, west])
            #expect(back["currentCampaign"]?.intValue == 1, "still on West: \(back)")
        }
    }

    /// `why` shows the dialer's own errors about a campaign's list, takes progress and agents from the
    /// campaign's diagnostics, and `why --all` reads each contact list once for the whole org.
    @Test func whyUsesDiagnosticsAndDialerEvents() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            try await Self.seedEveryReason(emulator)
            let why = try await ShellProcess.run(["-c", "why Collections_30day"], home: home)
            #expect(why.status == 0, "\(why.stderr)")
            #expect(why.stdout.contains("Dialer events:\n  "), "\(why.stdout)")
            #expect(why.stdout.contains("ERROR IMPORT_ERROR  The import of '30day list' failed: Invalid CSV header"))
            let log = try await RawHTTP.send(.GET, emulator.baseURL + "/emulator/v1/requests").json
            let requests = (log["requests"]?.arrayValue ?? []).compactMap { request -> String? in
                guard let method = request["method"]?.stringValue, let path = request["path"]?.stringValue else {
                    return nil
                }
                return "\(method) \(path)"
            }
            #expect(requests.contains("GET /api/v2/outbound/campaigns/\(Self.id(4))/diagnostics"), "\(requests)")
            #expect(!requests.contains { $0.hasSuffix("/progress") }, "diagnostics give the progress: \(requests)")
            #expect(!requests.contains { $0.contains("/routing/queues/") }, "diagnostics give idle agents: \(requests)")

            _ = try await RawHTTP.send(.POST, emulator.baseURL + "/emulator/v1/reset")
            try await Self.seedEveryReason(emulator)
            let all = try await ShellProcess.run(["-c", "why --all --format json"], home: home)
            #expect(all.status == 0, "\(all.stderr)")
            let afterAll =
                (try await RawHTTP.send(.GET, emulator.baseURL + "/emulator/v1/requests").json)["requests"]?
                .arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
            #expect(
                !afterAll.contains { $0.hasPrefix("/api/v2/outbound/contactlists/") },
                "each list came with the listing: \(afterAll)")
            #expect(afterAll.filter { $0 == "/api/v2/outbound/contactlists" }.count == 1, "\(afterAll)")
            #expect(afterAll.filter { $0.hasPrefix("/api/v2/outbound/callabletimesets/") }.count == 1, "\(afterAll)")
        }
    }
}
