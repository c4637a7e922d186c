import Foundation
import GenesysEmulator
import GenesysTestSupport
import JSONDocument
import NIOHTTP1
import Testing

/// Shapes real orgs send, which the SDK's models do not promise: the shell lists, shows, pauses and
/// activates around them, and sends back every field it did not change byte for byte.
@Suite struct RealOrgShapeTests {
    static let oddID = "0dd00000-0000-4000-8000-000000000001"
    static let brokenID = "0dd00000-0000-4000-8000-000000000002"
    static let queue = EmulatorHarness.demoQueueID("Sales Outbound")

    /// A campaign as Terraform creates it and a newer Genesys returns it.
    static var odd: String {
        #"{"id":"\#(oddID)","name":"Odd_Decimal","version":3,"campaignStatus":"off","dialingMode":"power","#
            + #""contactList":{"id":"l1","name":"List"},"queue":{"id":"\#(queue)","name":"Sales Outbound"},"#
            + #""script":{"id":"s1"},"edgeGroup":{"id":"e1"},"callAnalysisResponseSet":{"id":"r1"},"#
            + #""phoneColumns":[{"columnName":"Cell"}],"callerName":"Contoso","callerAddress":"+13175550100","#
            + #""outboundLineCount":12,"abandonRate":2.50,"maxCallsPerAgent":1.5,"maxCallsPerAgentDecimal":1.50,"#
            + #""futureSetting":{"mode":"x","weights":[1,2.0,3e2]},"priority":3,"errors":[]}"#
    }

    /// Readable as a campaign, but with members of kinds the client cannot use.
    static var broken: String {
        #"{"id":"\#(brokenID)","name":"Odd_Version","version":4.5,"campaignStatus":"on","dialingMode":"teleport","#
            + #""queue":{"id":"\#(queue)"},"phoneColumns":[{"columnName":"Home"}],"errors":[{"details":"no error code"}]}"#
    }

    static func withOddOrg(_ body: @Sendable (EmulatorHarness, ShellProcess.Home) async throws -> Void) async throws {
        try await EmulatorHarness.run(configure: { $0.stoppingDelay = .milliseconds(200) }) { harness in
            try await harness.control("PUT", "/campaigns/\(Self.oddID)", Self.odd)
            try await harness.control("PUT", "/campaigns/\(Self.brokenID)", Self.broken)
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: harness.emulator.baseURL)
            try await body(harness, home)
        }
    }

    /// The campaign's document as the server holds it now, member by member.
    static func stored(_ harness: EmulatorHarness, _ id: String) async throws -> JSONObject {
        let token = try await RawHTTP.token(
            harness.emulator.baseURL, clientID: "campaignsh-sandbox", clientSecret: "sandbox-secret")
        let answer = try await RawHTTP.send(
            .GET, harness.emulator.baseURL + "/api/v2/outbound/campaigns/\(id)",
            headers: [("Authorization", "Bearer \(token)")]
        )
        return try #require(try JSONValue(parsing: answer.body).objectValue)
    }

    @Test func aListingSurvivesOddCampaignsAndCarriesStableKeys() async throws {
        try await Self.withOddOrg { _, home in
            let listed = try await ShellProcess.run(["-c", "campaigns --format json"], home: home)
            #expect(listed.status == 0, "stderr: \(listed.stderr)")
            let rows = try #require(try JSONValue(parsing: listed.stdout).arrayValue)
            #expect(rows.count == 16)
            #expect(
                rows.allSatisfy {
                    $0.objectValue?.keys == [
                        "id", "name", "campaignStatus", "lifecycle", "dialingMode", "queue", "percentage",
                    ]
                })
            let broken = try #require(rows.first { $0["id"]?.stringValue == Self.brokenID })
            #expect(broken["lifecycle"] == "active" && broken["dialingMode"] == "teleport")
            // One line for the campaign the client cannot fully read, naming the field.
            let warnings = listed.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: ") }
            #expect(
                warnings == [
                    "warning: campaign Odd_Version (\(Self.brokenID)): version is 4.5, expected a whole number; shown blank"
                ])
            let csv = try await ShellProcess.run(["-c", "campaigns --format csv"], home: home)
            #expect(csv.stdout.hasPrefix("id,name,campaignStatus,lifecycle,dialingMode,queue,percentage\r\n"))
        }
    }

    @Test func showPrintsTheWholeCampaignAsReceived() async throws {
        try await Self.withOddOrg { _, home in
            let shown = try await ShellProcess.run(["-c", "show Odd_Decimal --format json"], home: home)
            #expect(shown.status == 0, "stderr: \(shown.stderr)")
            let document = try JSONValue(parsing: shown.stdout)
            #expect(document["maxCallsPerAgentDecimal"]?.numberValue?.literal == "1.50")
            #expect(document["futureSetting"]?.jsonText == #"{"mode":"x","weights":[1,2.0,3e2]}"#)
            let table = try await ShellProcess.run(["-c", "show Odd_Decimal"], home: home)
            #expect(table.status == 0 && table.stdout.contains("max calls per agent\t1.5"), "\(table.stdout)")
        }
    }

    @Test func activateAndPauseChangeOnlyTheStatus() async throws {
        try await Self.withOddOrg { harness, home in
            let before = try await Self.stored(harness, Self.oddID)
            let result = try await ShellProcess.run(
                [
                    "-c",
                    "activate Odd_Decimal; use Odd_Decimal; expect status == on; pause --timeout 10s; expect status == off",
                ], home: home
            )
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let after = try await Self.stored(harness, Self.oddID)
            let changedByTheServer: Set<String> = ["version", "dateModified", "campaignStatus"]
            for member in before.members where !changedByTheServer.contains(member.key) {
                #expect(after[member.key]?.jsonText == member.value.jsonText, "\(member.key) changed")
            }
            let puts = await harness.emulator.requests().filter {
                $0.method == "PUT" && $0.path.hasPrefix("/api/v2/outbound")
            }
            #expect(puts.map(\.query) == ["useMaxCallsPerAgentDecimal=true"])
        }
    }

    @Test func aRunningCampaignWithErrorsAndAnUnreadableVersionIsStopped() async throws {
        try await Self.withOddOrg { harness, home in
            let result = try await ShellProcess.run(["-c", "pause Odd_Version --timeout 10s"], home: home)
            #expect(result.status == 0, "stderr: \(result.stderr)")
            // The campaign's own changes: the notification channel's requests are not.
            let mutations = await harness.emulator.requests().filter {
                $0.method != "GET" && $0.path.hasPrefix("/api/v2/outbound")
            }
            #expect(
                mutations.map { "\($0.method) \($0.path) \($0.status)" } == [
                    "POST /api/v2/outbound/campaigns/\(Self.brokenID)/stop 204"
                ])
            #expect(try await Self.stored(harness, Self.brokenID)["campaignStatus"] == "off")
        }
    }

    @Test func pausingEverythingSucceedsWhenEverythingEndsUpStopped() async throws {
        try await Self.withOddOrg { harness, home in
            let result = try await ShellProcess.run(["-c", "pause --all --yes --timeout 20s"], home: home)
            #expect(result.status == 0, "stdout: \(result.stdout) stderr: \(result.stderr)")
            #expect(!result.stdout.contains("\trefused\t") && !result.stdout.contains("\terror\t"))
            let conflicts = await harness.emulator.requests().filter { $0.status == 409 }
            #expect(conflicts.isEmpty)
        }
    }

    @Test func aPauseWhoseWaitRunsOutExitsThreeLikeEveryTimedOutWait() async throws {
        try await EmulatorHarness.run(configure: { $0.stoppingDelay = .seconds(60) }) { harness in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: harness.emulator.baseURL)
            let single = try await ShellProcess.run(["-c", "pause Q4_Promo_East --timeout 1s"], home: home)
            #expect(single.status == 3, "stderr: \(single.stderr)")
            #expect(single.stderr.contains("timed out: Q4_Promo_East is still stopping after 1 s"), "\(single.stderr)")
            let bulk = try await ShellProcess.run(["-c", "pause --all --name Q4_Promo --yes --timeout 1s"], home: home)
            #expect(bulk.status == 3, "stderr: \(bulk.stderr)")
        }
    }

    @Test func aListingSurvivesAForbiddenProgressRead() async throws {
        try await Self.withOddOrg { harness, home in
            try await harness.control(
                "POST", "/faults", #"{"status":403,"count":5,"path":"/api/v2/outbound/campaigns/progress"}"#)
            let listed = try await ShellProcess.run(["-c", "campaigns --format jsonl"], home: home)
            #expect(listed.status == 0, "stderr: \(listed.stderr)")
            #expect(listed.stdout.split(separator: "\n").count == 16)
            #expect(
                listed.stdout.contains(#""name": "Q4_Promo_East""#) && listed.stdout.contains(#""percentage": null"#))
            let warning = listed.stderr.split(separator: "\n").filter {
                $0.hasPrefix("warning: progress unavailable (403")
            }
            #expect(warning.count == 1, "stderr: \(listed.stderr)")
        }
    }
}
