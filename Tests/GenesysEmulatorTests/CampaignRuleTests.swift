import Foundation
import GenesysEmulator
import GenesysTestSupport
import JSONDocument
import NIOHTTP1
import Testing

/// The campaign rules of docs/genesys-api.md as the emulator enforces them.
@Suite struct CampaignRuleTests {
    static let draft = Demo.campaign("Q4_Renewals")
    static let running = Demo.campaign("Q4_Promo_East")
    static let complete = Demo.campaign("Winback_Lapsed")
    static let invalid = Demo.campaign("Survey_CSAT_Nov")

    @Test func aPutWithTheCurrentVersionBumpsIt() async throws {
        try await EmulatorTestClient.run { client in
            let answer = try await client.put(Self.draft) { $0["callerName"] = "Fabrikam" }
            #expect(answer.status == 200)
            #expect(answer.json["version"] == 6)
            #expect(answer.json["callerName"] == "Fabrikam")
            #expect(answer.json["campaignStatus"] == "off")
        }
    }

    @Test func aStaleVersionIsAConflict() async throws {
        try await EmulatorTestClient.run { client in
            let stale = try await client.put(Self.draft) { $0["version"] = 4 }
            #expect(stale.status == 409)
            #expect(stale.json["code"] == "general.conflict")
            #expect(stale.json["message"]?.stringValue?.contains("version") == true)
            let missing = try await client.put(Self.draft) { $0["version"] = nil }
            #expect(missing.status == 400)
        }
    }

    @Test func theConflictCanBeA400WithAVersionMessage() async throws {
        try await EmulatorTestClient.run(configure: {
            $0.versionConflictStatus = 400
            $0.versionConflictCode = "bad.version"
        }) { client in
            let stale = try await client.put(Self.draft) { $0["version"] = 1 }
            #expect(stale.status == 400)
            #expect(stale.json["code"] == "bad.version")
            #expect(stale.json["message"]?.stringValue?.contains("does not match the current version") == true)
        }
    }

    @Test func anotherAdminsEditsLandBeforeTheNextPuts() async throws {
        try await EmulatorTestClient.run { client in
            #expect(
                try await client.control(.POST, "/campaigns/\(Self.draft)/bump", #"{"beforeNextPuts":2}"#).status == 200
            )
            let first = try await client.put(Self.draft) { $0["campaignStatus"] = "on" }
            let second = try await client.put(Self.draft) { $0["campaignStatus"] = "on" }
            let third = try await client.put(Self.draft) { $0["campaignStatus"] = "on" }
            #expect([first.status, second.status, third.status] == [409, 409, 200] as [Int])
            #expect(third.json["version"] == 8)  // 5, two foreign edits, then ours
        }
    }

    @Test func turningOffLeavesTheCampaignStoppingForTheConfiguredDelay() async throws {
        try await EmulatorTestClient.run(configure: { $0.stoppingDelay = .seconds(60) }) { client in
            let answer = try await client.put(Self.running) { $0["campaignStatus"] = "off" }
            #expect(answer.status == 200)
            #expect(answer.json["campaignStatus"] == "stopping")
            #expect(try await client.status(of: Self.running) == "stopping")
        }
    }

    @Test func aStoppingCampaignIsOffOnceTheDelayHasPassed() async throws {
        try await EmulatorTestClient.run(configure: { $0.stoppingDelay = .milliseconds(200) }) { client in
            #expect(
                try await client.put(Self.running) { $0["campaignStatus"] = "off" }.json["campaignStatus"] == "stopping"
            )
            try await Task.sleep(for: .milliseconds(250))
            #expect(try await client.status(of: Self.running) == "off")
        }
    }

    @Test func completeCannotBeTurnedOffButCanBeTurnedOnOrEchoed() async throws {
        try await EmulatorTestClient.run { client in
            let off = try await client.put(Self.complete) { $0["campaignStatus"] = "off" }
            #expect(off.status == 400)
            #expect(off.json["message"]?.stringValue?.contains("Invalid transition from <COMPLETE> to <OFF>") == true)
            let echo = try await client.put(Self.complete) { $0["priority"] = 5 }
            #expect(echo.status == 200)
            #expect(echo.json["campaignStatus"] == "complete")
            let on = try await client.put(Self.complete) { $0["campaignStatus"] = "on" }
            #expect(on.status == 200)
            #expect(on.json["campaignStatus"] == "on")
        }
    }

    @Test func invalidCampaignsCannotBeTurnedOn() async throws {
        try await EmulatorTestClient.run { client in
            let answer = try await client.put(Self.invalid) { $0["campaignStatus"] = "on" }
            #expect(answer.status == 400)
            #expect(try await client.status(of: Self.invalid) == "invalid")
            #expect(try await client.api(.POST, "/api/v2/outbound/campaigns/\(Self.invalid)/start").status == 400)
        }
    }

    @Test func campaignsWithErrorsCannotBeTurnedOn() async throws {
        try await EmulatorTestClient.run { client in
            let errors = #"{"errors":[{"error":"Queue not found"}]}"#
            #expect(try await client.control(.POST, "/campaigns/\(Self.draft)/state", errors).status == 200)
            let answer = try await client.put(Self.draft) { $0["campaignStatus"] = "on" }
            #expect(answer.status == 400)
            #expect(answer.json["message"]?.stringValue?.contains("errors") == true)
        }
    }

    @Test func onlyOnAndOffCanBeRequested() async throws {
        try await EmulatorTestClient.run { client in
            let answer = try await client.put(Self.draft) { $0["campaignStatus"] = "complete" }
            #expect(answer.status == 400)
        }
    }

    @Test func runningCampaignsCannotBeDeleted() async throws {
        try await EmulatorTestClient.run(configure: { $0.stoppingDelay = .zero }) { client in
            let path = "/api/v2/outbound/campaigns/\(Self.running)"
            let refused = try await client.api(.DELETE, path)
            #expect(refused.status == 400)
            #expect(refused.json["message"] == .string("Cannot delete a campaign when it is running (\(Self.running))"))
            #expect(try await client.api(.POST, path + "/stop").status == 204)
            let deleted = try await client.api(.DELETE, path)
            #expect(deleted.status == 200)
            #expect(deleted.json["id"] == .string(Self.running))
            #expect(try await client.api(.GET, path).status == 404)
        }
    }

    @Test func atMostTheConfiguredNumberOfCampaignsAreActive() async throws {
        // The demo org has 3 on, 1 stopping and 1 forced_stopping: 5 slots taken while stopping lasts.
        try await EmulatorTestClient.run(configure: {
            $0.maxActiveCampaigns = 5
            $0.stoppingDelay = .seconds(60)
        }) { client in
            let refused = try await client.put(Self.draft) { $0["campaignStatus"] = "on" }
            #expect(refused.status == 400)
            #expect(refused.json["message"]?.stringValue?.contains("active at one time is 5") == true)
            #expect(try await client.api(.POST, "/api/v2/outbound/campaigns/\(Self.draft)/start").status == 400)
            #expect(try await client.api(.POST, "/api/v2/outbound/campaigns/\(Self.running)/stop").status == 204)
            // A campaign that is stopping still holds its slot.
            #expect(try await client.put(Self.draft) { $0["campaignStatus"] = "on" }.status == 400)
        }
        #expect(EmulatorConfiguration().maxActiveCampaigns == 50)
    }

    @Test func startStopAndPatchAnswerWithoutABody() async throws {
        try await EmulatorTestClient.run(configure: { $0.stoppingDelay = .zero }) { client in
            let path = "/api/v2/outbound/campaigns/\(Self.draft)"
            let start = try await client.api(.POST, path + "/start", "null")
            #expect(start.status == 204)
            #expect(start.body.isEmpty)
            #expect(try await client.status(of: Self.draft) == "on")
            #expect(try await client.api(.POST, path + "/stop").status == 204)
            #expect(try await client.status(of: Self.draft) == "off")

            let patch = try await client.api(.PATCH, path, #"{"outboundLineCount":33,"campaignStatus":"on"}"#)
            #expect(patch.status == 204)
            let after = try await client.api(.GET, path).json
            #expect(after["outboundLineCount"] == 33)
            #expect(after["campaignStatus"] == "off")  // PATCH cannot change status
        }
    }

    @Test func recyclingResetsProgressAndReadiesACompleteCampaign() async throws {
        try await EmulatorTestClient.run { client in
            let path = "/api/v2/outbound/campaigns/\(Self.complete)"
            let before = try await client.api(.GET, path + "/progress").json
            #expect(before["percentage"] == 100)
            #expect(before["campaign"]?["id"] == .string(Self.complete))
            #expect(try await client.api(.DELETE, path + "/progress").status == 204)
            let after = try await client.api(.GET, path + "/progress").json
            #expect(after["numberOfContactsCalled"] == 0)
            #expect(after["percentage"] == 0)
            #expect(try await client.status(of: Self.complete) == "off")
        }
    }

    @Test func statsCountIdleAgentsOfTheCampaignsQueue() async throws {
        try await EmulatorTestClient.run { client in
            let path = "/api/v2/outbound/campaigns/\(Self.running)/stats"
            #expect(try await client.api(.GET, path).json["idleAgents"] == 6)
            let agents = #"{"IDLE":9,"INTERACTING":3,"OFF_QUEUE":2}"#
            #expect(
                try await client.control(.PUT, "/queues/\(Demo.queue("Sales Outbound"))/agents", agents).status == 204)
            let stats = try await client.api(.GET, path).json
            #expect(stats["idleAgents"] == 9)
            #expect(stats["effectiveIdleAgents"] == 9)
            #expect(stats["linesUtilization"]?["totalAvailableOutboundLines"] == 300)
        }
    }

    @Test func createForcesOffAndRequiresTheDocumentedFields() async throws {
        try await EmulatorTestClient.run { client in
            var object =
                try await client.api(.GET, "/api/v2/outbound/campaigns/\(Self.running)").json.objectValue ?? [:]
            object["name"] = "Created"
            let body = JSONValue.object(object).jsonText
            let created = try await client.api(.POST, "/api/v2/outbound/campaigns", body)
            #expect(created.status == 200)
            #expect(created.json["campaignStatus"] == "off")
            #expect(created.json["version"] == 1)
            #expect(created.json["id"] != .string(Self.running))

            object["callerAddress"] = nil
            let incomplete = JSONValue.object(object).jsonText
            let refused = try await client.api(.POST, "/api/v2/outbound/campaigns", incomplete)
            #expect(refused.status == 400)
            #expect(refused.json["message"]?.stringValue?.contains("callerAddress") == true)
        }
    }

    @Test func dynamicContactFilteringIsFixedAtCreation() async throws {
        try await EmulatorTestClient.run { client in
            let answer = try await client.put(Self.draft) {
                $0["dynamicContactQueueingSettings"] = ["sort": false, "filter": true]
            }
            #expect(answer.status == 400)
        }
    }
}

/// Paging envelopes, filters, queue members and observations.
@Suite struct ListingTests {
    @Test func campaignPagesCarryTotalsAndRelativeURIs() async throws {
        try await EmulatorTestClient.run { client in
            let first = try await client.api(.GET, "/api/v2/outbound/campaigns?pageSize=5&pageNumber=1").json
            #expect(first["total"] == 14)
            #expect(first["pageCount"] == 3)
            #expect(first["pageSize"] == 5)
            #expect(first["nextUri"] == "/api/v2/outbound/campaigns?pageSize=5&pageNumber=2")
            #expect(first["previousUri"] == nil)
            #expect(first["lastUri"] == "/api/v2/outbound/campaigns?pageSize=5&pageNumber=3")
            let last = try await client.api(.GET, "/api/v2/outbound/campaigns?pageSize=5&pageNumber=3").json
            #expect(last["nextUri"] == nil)
            guard case .array(let entities) = last["entities"] else {
                Issue.record("no entities")
                return
            }
            #expect(entities.count == 4)
            let huge = try await client.api(.GET, "/api/v2/outbound/campaigns?pageSize=500").json
            #expect(huge["pageSize"] == 100)
            #expect(try await client.api(.GET, "/api/v2/outbound/campaigns?pageSize=abc").status == 400)
        }
    }

    @Test func namesFilterByTypeAndIDsByEitherListForm() async throws {
        try await EmulatorTestClient.run { client in
            let names = { @Sendable (query: String) async throws -> [String] in
                guard
                    case .array(let entities) = try await client.api(.GET, "/api/v2/outbound/campaigns?\(query)").json[
                        "entities"]
                else { return [] }
                return entities.compactMap { $0["name"]?.stringValue }
            }
            let byPrefix = try await names("name=Collections")
            #expect(byPrefix == ["Collections_30day", "Collections_60day", "Collections_90day"])
            let byContains = try await names("name=60day&filterType=Contains")
            #expect(byContains == ["Collections_60day"])
            let byUTF8Prefix = try await names("name=r%C3%A9activation")
            #expect(byUTF8Prefix == ["Réactivation_Clients"])
            let byRegEx = try await names("name=Q4_Promo_.*&filterType=RegEx")
            #expect(byRegEx == ["Q4_Promo_East", "Q4_Promo_West"])
            let (east, west) = (Demo.campaign("Q4_Promo_East"), Demo.campaign("Q4_Promo_West"))
            let byRepeatedIDs = try await names("id=\(east)&id=\(west)")
            #expect(byRepeatedIDs == ["Q4_Promo_East", "Q4_Promo_West"])
            let byCommaIDs = try await names("id=\(east),\(west)")
            #expect(byCommaIDs == ["Q4_Promo_East", "Q4_Promo_West"])
        }
    }

    @Test func queueMembersHaveNoTotals() async throws {
        try await EmulatorTestClient.run { client in
            let path = "/api/v2/routing/queues/\(Demo.queue("Sales Outbound"))/members"
            let page = try await client.api(.GET, path + "?pageSize=5&joined=true").json
            for absent in ["total", "pageCount", "lastUri"] { #expect(page[absent] == nil) }
            #expect(page["nextUri"] != nil)
            guard case .array(let members) = page["entities"] else {
                Issue.record("no entities")
                return
            }
            #expect(members.count == 5)
            #expect(members.allSatisfy { $0["joined"] == true && $0["routingStatus"]?["status"]?.stringValue != nil })
            let last = try await client.api(.GET, path + "?pageSize=5&pageNumber=3&joined=true").json
            #expect(last["nextUri"] == nil)
            #expect(try await client.api(.GET, "/api/v2/routing/queues/nope/members").status == 404)
        }
    }

    @Test func observationsReportOnQueueUsersPerRoutingStatus() async throws {
        try await EmulatorTestClient.run { client in
            let queue = Demo.queue("Collections")
            let query = """
                {"filter":{"type":"or","predicates":[{"type":"dimension","dimension":"queueId","operator":"matches","value":"\(queue)"}]},
                 "metrics":["oOnQueueUsers","oOffQueueUsers"]}
                """
            let answer = try await client.api(.POST, "/api/v2/analytics/queues/observations/query", query).json
            #expect(
                answer["results"] == [
                    [
                        "group": ["queueId": .string(queue)],
                        "data": [
                            ["metric": "oOnQueueUsers", "qualifier": "IDLE", "stats": ["count": 2]],
                            ["metric": "oOnQueueUsers", "qualifier": "INTERACTING", "stats": ["count": 5]],
                            ["metric": "oOffQueueUsers", "stats": ["count": 3]],
                        ],
                    ]
                ])
        }
    }
}
