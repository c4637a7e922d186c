import Foundation
import GenesysCloud
import GenesysEmulator
import GenesysTestSupport
import JSONDocument
import Testing

@Suite struct CampaignEndpointTests {
    static let draft = EmulatorHarness.demoCampaignID("Q4_Renewals")
    static let running = EmulatorHarness.demoCampaignID("Q4_Promo_East")

    @Test func listingReadsEveryPage() async throws {
        try await EmulatorHarness.run(configure: { $0.seed = EmulatorSeed.bulk(230, like: "Q4_Renewals") }) { harness in
            let campaigns = try await harness.client.campaigns()
            #expect(campaigns.map(\.name) == (1...230).map { String(format: "Bulk_%03d", $0) })
            let pages = await harness.emulator.requests().filter { $0.path == "/api/v2/outbound/campaigns" }.map(
                \.query)
            #expect(pages == (1...3).map { "pageSize=100&pageNumber=\($0)" })
        }
    }

    @Test func listingFiltersByNameAndRepeatedIDs() async throws {
        try await EmulatorHarness.run { harness in
            let promos = try await harness.client.campaigns(CampaignQuery(name: "q4_promo"))
            #expect(promos.map(\.name) == ["Q4_Promo_East", "Q4_Promo_West"])
            let exact = try await harness.client.campaigns(CampaignQuery(name: "Q4_Renewals", filterType: .equals))
            #expect(exact.map(\.id) == [Self.draft])
            let byID = try await harness.client.campaigns(CampaignQuery(ids: [Self.running, Self.draft]))
            #expect(Set(byID.compactMap(\.id)) == [Self.running, Self.draft])
            let query = await harness.emulator.requests().last?.query ?? ""
            #expect(query.contains("id=\(Self.running)&id=\(Self.draft)"))
        }
    }

    @Test func everyDemoCampaignDecodesWithKnownValues() async throws {
        try await EmulatorHarness.run { harness in
            let campaigns = try await harness.client.campaigns()
            #expect(campaigns.count >= 12)
            #expect(campaigns.allSatisfy { $0.campaignStatus?.isKnown == true && $0.dialingMode?.isKnown == true })
            #expect(campaigns.allSatisfy { $0.unknownFields.isEmpty })
            let statuses = Set(campaigns.compactMap(\.campaignStatus))
            #expect(statuses.isSuperset(of: [.on, .off, .complete, .invalid, .forcedOff]))
        }
    }

    @Test func aStatusChangeSendsBackFieldsTheModelDoesNotKnow() async throws {
        var seed = EmulatorSeed.demoOrg
        let index = seed.campaigns.firstIndex { $0.id == Self.draft }!
        seed.campaigns[index].campaign["futureField"] = [
            "enabled": true, "levels": [1, .number(JSONNumber(literal: "2.50")!)],
        ]
        seed.campaigns[index].campaign["contactList"] = ["id": "list-1", "name": "List", "region": "emea"]
        let seeded = seed

        try await EmulatorHarness.run(configure: { $0.seed = seeded }) { harness in
            let before = try await harness.client.campaign(id: Self.draft)
            #expect(before.unknownFields == ["futureField"])
            let after = try await harness.client.setStatus(of: before, to: .on)
            #expect(after.campaignStatus == .on)
            #expect(after.version == before.version.map { $0 + 1 })
            let stored = try await harness.client.campaign(id: Self.draft)
            #expect(stored.document["futureField"]?.jsonText == #"{"enabled":true,"levels":[1,2.50]}"#)
            #expect(stored.document["contactList"]?["region"] == "emea")
            let put = await harness.emulator.requests().first { $0.method == "PUT" }
            #expect(put?.query == "useMaxCallsPerAgentDecimal=true")
        }
    }

    @Test func aStaleVersionIsATypedConflict() async throws {
        try await EmulatorHarness.run { harness in
            let campaign = try await harness.client.campaign(id: Self.draft)
            try await harness.control("POST", "/campaigns/\(Self.draft)/bump")
            let error = try await #require(throws: GenesysError.self) {
                try await harness.client.setStatus(of: campaign, to: .on)
            }
            #expect(error.isVersionConflict)
            #expect(error.status == 409)
            #expect(error.request == "PUT /api/v2/outbound/campaigns/{campaignId}")
            let logged = await harness.emulator.requests().last
            #expect(logged?.status == 409)
            #expect(error.correlationID == logged?.correlationId)
        }
    }

    @Test func turningOffPassesThroughStopping() async throws {
        try await EmulatorHarness.run(configure: { $0.stoppingDelay = .milliseconds(200) }) { harness in
            let running = try await harness.client.campaign(id: Self.running)
            let stopping = try await harness.client.setStatus(of: running, to: .off)
            #expect(stopping.campaignStatus == .stopping)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await harness.client.campaign(id: Self.running).campaignStatus == .off)
        }
    }

    @Test func startStopPatchProgressRecycleStatsAndDelete() async throws {
        try await EmulatorHarness.run(configure: { $0.stoppingDelay = .zero }) { harness in
            let client = harness.client
            try await client.startCampaign(id: Self.draft)
            #expect(try await client.campaign(id: Self.draft).campaignStatus == .on)
            try await client.stopCampaign(id: Self.draft)
            #expect(try await client.campaign(id: Self.draft).campaignStatus == .off)

            try await client.patchCampaign(id: Self.draft, CampaignPatchRequest(outboundLineCount: 42))
            #expect(try await client.campaign(id: Self.draft).outboundLineCount == 42)

            let complete = EmulatorHarness.demoCampaignID("Winback_Lapsed")
            #expect(try await client.progress(ofCampaign: complete).percentage == 100)
            try await client.recycleCampaign(id: complete)
            #expect(try await client.progress(ofCampaign: complete).numberOfContactsCalled == 0)
            #expect(try await client.campaign(id: complete).campaignStatus == .off)
            let many = try await client.progress(ofCampaigns: [complete, Self.running])
            #expect(many.compactMap(\.campaign?.id) == [complete, Self.running])

            let stats = try await client.stats(ofCampaign: Self.running)
            #expect(stats.idleAgents == 6)

            let deleted = try await client.deleteCampaign(id: Self.draft)
            #expect(deleted?.id == Self.draft)
            let gone = try await #require(throws: GenesysError.self) { try await client.campaign(id: Self.draft) }
            #expect(gone.status == 404)
        }
    }

    @Test func createReturnsAnOffCampaignWithANewID() async throws {
        try await EmulatorHarness.run { harness in
            var campaign = try await harness.client.campaign(id: Self.running)
            campaign.name = "Q4_Promo_East (copy)"
            let created = try await harness.client.createCampaign(campaign)
            #expect(created.id != Self.running)
            #expect(created.campaignStatus == .off)
            #expect(created.version == 1)
        }
    }
}

@Suite struct RoutingEndpointTests {
    static let sales = EmulatorHarness.demoQueueID("Sales Outbound")

    @Test func queueMembersArePagedWithoutTotals() async throws {
        try await EmulatorHarness.run { harness in
            try await harness.control(
                "PUT", "/queues/\(Self.sales)/agents", #"{"IDLE":150,"INTERACTING":30,"OFF_QUEUE":5}"#)
            let idle = try await harness.client.queueMembers(
                queueID: Self.sales, joined: true, routingStatuses: [.idle])
            #expect(idle.count == 150)
            #expect(idle.allSatisfy { $0.routingStatus == .idle && $0.joined == true })
            let pages = await harness.emulator.requests().filter { $0.path.hasSuffix("/members") }.compactMap(\.query)
            #expect(pages.count == 2)
            #expect(pages.allSatisfy { $0.contains("joined=true") && $0.contains("routingStatus=IDLE") })
        }
    }

    @Test func joinedFilterLeavesOutAgentsWhoLeft() async throws {
        try await EmulatorHarness.run { harness in
            let joinedIdle = try await harness.client.queueMembers(
                queueID: Self.sales, joined: true, routingStatuses: [.idle])
            let allIdle = try await harness.client.queueMembers(queueID: Self.sales, routingStatuses: [.idle])
            #expect(joinedIdle.count == 6)
            #expect(allIdle.count == 7)
        }
    }
}
