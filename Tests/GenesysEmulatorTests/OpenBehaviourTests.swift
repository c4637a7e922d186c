import Foundation
import GenesysEmulator
import GenesysTestSupport
import JSONDocument
import NIOHTTP1
import Testing

/// The behaviours no public source settles: each option changes what it says, and its default is today's guess.
@Suite struct OpenBehaviourTests {
    static let draft = Demo.campaign("Q4_Renewals")
    static let running = Demo.campaign("Q4_Promo_East")
    static let stopping = Demo.campaign("Collections_90day")
    static let forcedOff = Demo.campaign("Appointment_Reminders")

    static func path(_ id: String, _ tail: String = "") -> String { "/api/v2/outbound/campaigns/\(id)\(tail)" }

    @Test(arguments: [false, true])
    func stoppingToOffBumpsTheVersionOnlyWhenConfigured(_ bumps: Bool) async throws {
        // Long enough that the read right after the stop still sees `stopping` on a loaded machine.
        try await EmulatorTestClient.run(configure: {
            $0.stoppingDelay = .seconds(8)
            $0.stopBumpsVersion = bumps
        }) { client in
            #expect(EmulatorConfiguration().stopBumpsVersion == false)
            let before = try await client.api(.GET, Self.path(Self.running)).json
            #expect(try await client.api(.POST, Self.path(Self.running, "/stop")).status == 204)
            let stopping = try await client.api(.GET, Self.path(Self.running)).json
            #expect(stopping["campaignStatus"] == "stopping")
            var off = stopping
            for _ in 0..<300 where off["campaignStatus"] != "off" {
                try await Task.sleep(for: .milliseconds(100))
                off = try await client.api(.GET, Self.path(Self.running)).json
            }
            #expect(off["campaignStatus"] == "off")
            let (first, second, third) = (
                before["version"]?.intValue ?? 0, stopping["version"]?.intValue, off["version"]?.intValue
            )
            #expect(second == first + 1)
            #expect(third == first + (bumps ? 2 : 1))
        }
    }

    @Test func stopOnACampaignThatIsNotRunningAnswersTheConfiguredStatus() async throws {
        // `throws` spelled out: closure inference does not see the `try` inside `#expect`.
        try await EmulatorTestClient.run { client throws in
            #expect(try await client.api(.POST, Self.path(Self.draft, "/stop")).status == 204)
        }
        // Long enough that the seeded stopping campaign is still stopping on a loaded machine.
        try await EmulatorTestClient.run(configure: {
            $0.stopWhenNotRunningStatus = 400
            $0.stoppingDelay = .seconds(60)
        }) {
            client in
            let refused = try await client.api(.POST, Self.path(Self.draft, "/stop"))
            #expect(refused.status == 400)
            #expect(
                refused.json["message"]?.stringValue?.contains("Invalid transition from <OFF> to <OFF> (\(Self.draft))")
                    == true)
            // A campaign already stopping is on its way off, not refused.
            #expect(try await client.api(.POST, Self.path(Self.stopping, "/stop")).status == 204)
            #expect(try await client.api(.POST, Self.path(Self.running, "/stop")).status == 204)
        }
    }

    @Test func onWithErrorsIsAcceptedOnlyWhenConfigured() async throws {
        let errors = #"{"errors":[{"error":"Queue not found"}]}"#
        try await EmulatorTestClient.run(configure: { $0.allowOnWithErrors = true }) { client in
            #expect(try await client.control(.POST, "/campaigns/\(Self.draft)/state", errors).status == 200)
            let answer = try await client.put(Self.draft) { $0["campaignStatus"] = "on" }
            #expect(answer.status == 200)
            #expect(answer.json["campaignStatus"] == "on")
            #expect(answer.json["errors"]?.arrayValue?.count == 1)
        }
        #expect(EmulatorConfiguration().allowOnWithErrors == false)  // refused by default: CampaignRuleTests
    }

    @Test func forcedOffToOffIsRefusedOnlyWhenConfigured() async throws {
        try await EmulatorTestClient.run { client in
            let accepted = try await client.put(Self.forcedOff) { $0["campaignStatus"] = "off" }
            #expect(accepted.status == 200)
            #expect(accepted.json["campaignStatus"] == "off")
        }
        try await EmulatorTestClient.run(configure: { $0.refuseForcedOffToOff = true }) { client in
            let refused = try await client.put(Self.forcedOff) { $0["campaignStatus"] = "off" }
            #expect(refused.status == 400)
            #expect(
                refused.json["message"]?.stringValue?.contains("Invalid transition from <FORCED_OFF> to <OFF>") == true)
            #expect(try await client.status(of: Self.forcedOff) == "forced_off")
        }
    }

    @Test func theLinesOfACampaignThatIsNotOnAreConfigurable() async throws {
        try await EmulatorTestClient.run(configure: { $0.idleAvailableOutboundLines = 0 }) { client in
            let idle = try await client.api(.GET, Self.path(Self.draft, "/stats")).json
            #expect(idle["linesUtilization"]?["totalAvailableOutboundLines"] == 0)
            let running = try await client.api(.GET, Self.path(Self.running, "/stats")).json
            #expect(running["linesUtilization"]?["totalAvailableOutboundLines"] == 300)
        }
        #expect(EmulatorConfiguration().idleAvailableOutboundLines == 300)
    }

    @Test func listingsCarrySummariesWhenConfigured() async throws {
        try await EmulatorTestClient.run { client in
            let entity = try await client.api(.GET, "/api/v2/outbound/campaigns?id=\(Self.draft)").json["entities"]?
                .arrayValue?.first
            #expect(entity == (try await client.api(.GET, Self.path(Self.draft)).json))
        }
        try await EmulatorTestClient.run(configure: { $0.listEntities = .summary }) { client in
            let listing = try await client.api(.GET, "/api/v2/outbound/campaigns?pageSize=100")
            #expect(listing.status == 200)
            let entities = listing.json["entities"]?.arrayValue ?? []
            #expect(entities.count == 14)
            let allowed = Set(EmulatorConfiguration.ListEntities.summaryFields)
            #expect(entities.allSatisfy { Set($0.objectValue?.keys ?? []).isSubset(of: allowed) })
            let draft = try #require(entities.first { $0["id"] == .string(Self.draft) })
            #expect(Set(draft.objectValue?.keys ?? []) == allowed)
            #expect(draft["phoneColumns"] == nil)
            #expect(try await client.api(.GET, Self.path(Self.draft)).json["phoneColumns"] != nil)
        }
    }

    @Test func anEmergencyStopWorksOnACampaignWithErrors() async throws {
        try await EmulatorTestClient.run(configure: { $0.stoppingDelay = .seconds(60) }) { client throws in
            let errors = #"{"errors":[{"error":"Edge group unavailable"}]}"#
            #expect(try await client.control(.POST, "/campaigns/\(Self.running)/state", errors).status == 200)
            #expect(try await client.status(of: Self.running) == "on")
            #expect(try await client.api(.POST, Self.path(Self.running, "/stop")).status == 204)
            #expect(try await client.status(of: Self.running) == "stopping")
        }
        try await EmulatorTestClient.run(configure: { $0.stoppingDelay = .seconds(60) }) { client in
            #expect(
                try await client.control(.POST, "/campaigns/\(Self.running)/state", #"{"errors":[{}]}"#).status == 200)
            let put = try await client.put(Self.running) { $0["campaignStatus"] = "off" }
            #expect(put.status == 200)
            #expect(put.json["campaignStatus"] == "stopping")
        }
    }

    @Test func aForbiddenFaultSimulatesAMissingPermission() async throws {
        try await EmulatorTestClient.run { client in
            let fault = #"{"status":403,"path":"/api/v2/outbound/campaigns/progress"}"#
            #expect(try await client.control(.POST, "/faults", fault).status == 204)
            #expect(try await client.api(.GET, "/api/v2/outbound/campaigns").status == 200)
            let refused = try await client.api(.POST, "/api/v2/outbound/campaigns/progress", "[\"\(Self.draft)\"]")
            #expect(refused.status == 403)
            #expect(refused.json["code"] == "missing.permissions")
            #expect(refused.json["message"]?.stringValue?.contains("outbound:campaign:view") == true)
            let progress = try await client.api(.POST, "/api/v2/outbound/campaigns/progress", "[\"\(Self.draft)\"]")
            #expect(progress.status == 200)
            #expect(progress.json.arrayValue?.first?["campaign"]?["id"] == .string(Self.draft))
        }
    }
}
