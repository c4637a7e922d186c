import Foundation
import GenesysEmulator
import GenesysTestSupport
import JSONDocument
import NIOHTTP1
import Testing

/// A campaign as real orgs send it and a strict client would refuse: a decimal where the SDK says
/// integer, a phone column without `type`, unknown fields at the top and nested, an unknown dialing
/// mode, no optional fields beyond the required ones. Compact, so served bytes can be compared.
enum OddCampaign {
    static let id = "0dd00000-0000-4000-8000-000000000001"

    static func text(id: String = id, status: String = "off") -> String {
        #"{"id":"\#(id)","name":"Odd_Shapes","version":3,"campaignStatus":"\#(status)","dialingMode":"cloud_magic","#
            + #""contactList":{"id":"list-1","name":"List","region":"emea"},"#
            + #""queue":{"id":"\#(Demo.queue("Sales Outbound"))","name":"Sales Outbound"},"#
            + #""script":{"id":"script-1"},"edgeGroup":{"id":"edge-1"},"#
            + #""phoneColumns":[{"columnName":"Cell"},{"columnName":"Home","type":"home","priority":2}],"#
            + #""callerName":"Contoso","callerAddress":"+13175550100","#
            + #""maxCallsPerAgent":1.50,"abandonRate":2.50e0,"outboundLineCount":12,"#
            + #""futureField":{"enabled":true,"levels":[1,2.0]},"errors":[]}"#
    }

    static func document(id: String = id, status: String = "off") throws -> JSONObject {
        try #require(try JSONValue(parsing: text(id: id, status: status)).objectValue)
    }

    /// A seed with the demo org's queues and this campaign.
    static func seed() throws -> EmulatorSeed {
        let text = #"{"campaigns":[{"campaign":\#(text()),"contactsCalled":10,"totalContacts":40}],"queues":[]}"#
        var seed = try EmulatorSeed(parsing: Data(text.utf8))
        seed.queues = EmulatorSeed.demoOrg.queues
        return seed
    }

    /// The fields the emulator writes itself; every other one must be served exactly as it came.
    static let managed: Set<String> = [
        "id", "version", "dateCreated", "dateModified", "selfUri", "campaignStatus", "errors",
    ]

    /// The members of `served` that differ in their JSON text from `original`, ignoring `except`.
    static func changedMembers(_ served: JSONValue, from original: JSONObject, except: Set<String> = managed)
        -> [String]
    {
        original.keys.filter { !except.contains($0) && served[$0]?.jsonText != original[$0]?.jsonText }
    }
}

/// The schema of the official SDK, and how loosely it is applied.
@Suite struct SchemaTests {
    @Test func theSchemaIsTheSDKsAndHasTheDecimalField() throws {
        let schema = SDKSchema.shared
        #expect(schema.source["package"] == "PureCloudPlatformClientV2")
        #expect(schema.source["version"] == "269.0.0")
        #expect(schema.hasModel("Campaign"))
        #expect(schema.fields(of: "Campaign")?.contains("maxCallsPerAgentDecimal") == true)
        for served in [
            "Campaign", "CampaignEntityListing", "CampaignProgress", "CampaignStats", "QueueMemberEntityListing",
            "QueueObservationQueryResponse", "ErrorBody", "CampaignPatchRequest", "QueueObservationQuery",
        ] {
            #expect(schema.roots.contains(served))
        }
        #expect(schema.enumValues(of: "RoutingStatus", field: "status")?.contains("IDLE") == true)
    }

    @Test func whatRealOrgsSendIsValid() throws {
        let odd = try OddCampaign.document()
        #expect(SDKSchema.shared.validate(.object(odd), as: "Campaign") == [])
        var nulls = odd
        nulls["queue"] = .null
        nulls["phoneColumns"] = [nil, ["columnName": nil]]
        #expect(SDKSchema.shared.validate(.object(nulls), as: "Campaign") == [])
        #expect(SDKSchema.shared.validate([:], as: "Campaign") == [])
    }

    @Test func aWrongKindIsNamedByPathAndReason() throws {
        var odd = try OddCampaign.document()
        odd["phoneColumns"] = [["columnName": "Cell", "type": 5]]
        odd["queue"] = "q1"
        odd["alwaysRunning"] = "yes"
        let violations = SDKSchema.shared.validate(.object(odd), as: "Campaign", at: "campaigns[3].campaign")
        #expect(
            violations.map(\.description) == [
                #"campaigns[3].campaign.queue: expected an object (DomainEntityRef), got text ("q1")"#,
                "campaigns[3].campaign.phoneColumns[0].type: expected text, got a number (5)",
                #"campaigns[3].campaign.alwaysRunning: expected a boolean, got text ("yes")"#,
            ])
        let error: JSONValue = ["status": 400, "messageParams": ["field": "queue", "count": 2]]
        #expect(
            SDKSchema.shared.validate(error, as: "ErrorBody").map(\.description) == [
                "messageParams.count: expected text, got a number (2)"
            ])
        #expect(
            SDKSchema.shared.validate("text", as: "Campaign").map(\.description) == [
                #"the document: expected an object (Campaign), got text ("text")"#
            ])
    }
}

/// Campaigns are stored as documents: what comes in is served back as it came.
@Suite struct DocumentFidelityTests {
    static let path = "/api/v2/outbound/campaigns/\(OddCampaign.id)"

    @Test func aSeededOddCampaignIsServedByteForByte() async throws {
        let seed = try OddCampaign.seed()
        try await EmulatorTestClient.run(configure: { $0.seed = seed }) { client in
            let answer = try await client.api(.GET, Self.path)
            #expect(answer.status == 200)
            #expect(String(decoding: answer.body, as: UTF8.self) == OddCampaign.text())
            let listing = try await client.api(.GET, "/api/v2/outbound/campaigns").json
            #expect(listing["entities"]?.arrayValue?.first?.jsonText == OddCampaign.text())
            let stats = try await client.api(.GET, Self.path + "/stats")
            #expect(stats.status == 200)
            #expect(stats.json["adjustedCallsPerAgent"]?.jsonText == "1.5")
            #expect(try await client.api(.GET, Self.path + "/progress").json["percentage"] == 25)
        }
    }

    @Test func aPutKeepsEveryFieldTheEmulatorDoesNotManage() async throws {
        let seed = try OddCampaign.seed()
        try await EmulatorTestClient.run(configure: { $0.seed = seed }) { client in
            let original = try OddCampaign.document()
            let answer = try await client.put(OddCampaign.id) { $0["campaignStatus"] = "on" }
            #expect(answer.status == 200)
            #expect(answer.json["campaignStatus"] == "on")
            #expect(answer.json["version"] == 4)
            #expect(OddCampaign.changedMembers(answer.json, from: original) == [])
            let stored = try await client.api(.GET, Self.path).json
            #expect(OddCampaign.changedMembers(stored, from: original) == [])
            #expect(stored["maxCallsPerAgent"]?.jsonText == "1.50")
        }
    }

    @Test func aPatchKeepsTheDecimalAsSpelled() async throws {
        let seed = try OddCampaign.seed()
        try await EmulatorTestClient.run(configure: { $0.seed = seed }) { client in
            #expect(try await client.api(.PATCH, Self.path, #"{"maxCallsPerAgent":2.50}"#).status == 204)
            let stored = try await client.api(.GET, Self.path).json
            #expect(stored["maxCallsPerAgentDecimal"]?.jsonText == "2.50")
            #expect(stored["maxCallsPerAgent"]?.jsonText == "2")
            #expect(
                OddCampaign.changedMembers(
                    stored, from: try OddCampaign.document(), except: OddCampaign.managed.union(["maxCallsPerAgent"]))
                    == [])
        }
    }

    @Test func aCreatedOddCampaignKeepsItsFields() async throws {
        try await EmulatorTestClient.run { client in
            let created = try await client.api(.POST, "/api/v2/outbound/campaigns", OddCampaign.text())
            #expect(created.status == 200)
            #expect(created.json["campaignStatus"] == "off")
            #expect(OddCampaign.changedMembers(created.json, from: try OddCampaign.document()) == [])
        }
    }

    @Test func theControlAPIPutsARawDocument() async throws {
        try await EmulatorTestClient.run { client in
            let id = "0dd00000-0000-4000-8000-000000000002"
            let put = try await client.control(.PUT, "/campaigns/\(id)", OddCampaign.text(id: id))
            #expect(put.status == 200)
            let served = try await client.api(.GET, "/api/v2/outbound/campaigns/\(id)")
            #expect(String(decoding: served.body, as: UTF8.self) == OddCampaign.text(id: id))

            // Replacing keeps the id of the path, whatever the document says.
            #expect(
                try await client.control(.PUT, "/campaigns/\(id)", OddCampaign.text(id: "other", status: "on")).status
                    == 200)
            let replaced = try await client.api(.GET, "/api/v2/outbound/campaigns/\(id)").json
            #expect(replaced["id"] == .string(id))
            #expect(replaced["campaignStatus"] == "on")
            #expect(try await client.api(.GET, "/api/v2/outbound/campaigns/other").status == 404)
            #expect(try await client.api(.GET, "/api/v2/outbound/campaigns").json["total"] == 15)
        }
    }

    @Test func theStateControlTakesAnyErrorsTheSchemaAllows() async throws {
        let seed = try OddCampaign.seed()
        try await EmulatorTestClient.run(configure: { $0.seed = seed }) { client in
            for errors in [#"[{"error":"x"}]"#, #"[{"details":"no error member","userParams":[{"key":"k"}]}]"#] {
                let state = #"{"errors":\#(errors),"campaignStatus":"paused_by_dialer","contactsCalled":20}"#
                #expect(try await client.control(.POST, "/campaigns/\(OddCampaign.id)/state", state).status == 200)
                let stored = try await client.api(.GET, Self.path).json
                #expect(stored["errors"]?.jsonText == errors)
                #expect(stored["campaignStatus"] == "paused_by_dialer")
                #expect(OddCampaign.changedMembers(stored, from: try OddCampaign.document()) == [])
            }
            #expect(try await client.api(.GET, Self.path + "/progress").json["numberOfContactsCalled"] == 20)
        }
    }
}

/// Shapes the SDK cannot read are refused wherever they come in, naming the field and the reason.
@Suite struct RefusalTests {
    static func odd(_ edit: (inout JSONObject) -> Void) throws -> String {
        var document = try OddCampaign.document()
        edit(&document)
        return JSONValue.object(document).jsonText
    }

    @Test func aSeedWithAWrongKindIsRefusedNamingTheField() throws {
        let queue = try Self.odd { $0["queue"] = "q1" }
        let seed = #"{"campaigns":[{"campaign":\#(queue),"contactsCalled":0,"totalContacts":1}],"queues":[]}"#
        let error = try #require(throws: EmulatorSeed.Invalid.self) { try EmulatorSeed(parsing: Data(seed.utf8)) }
        #expect(
            error.description == #"campaigns[0].campaign.queue: expected an object (DomainEntityRef), got text ("q1")"#)

        let columns = try Self.odd { $0["phoneColumns"] = ["columnName": "Cell"] }
        let second = #"{"campaigns":[{"campaign":\#(columns),"contactsCalled":0,"totalContacts":1}],"queues":[]}"#
        let listError = try #require(throws: EmulatorSeed.Invalid.self) { try EmulatorSeed(parsing: Data(second.utf8)) }
        #expect(listError.description == "campaigns[0].campaign.phoneColumns: expected a list, got an object")

        let broken = try #require(throws: EmulatorSeed.Invalid.self) {
            try EmulatorSeed(parsing: Data(#"{"campaigns": ["#.utf8))
        }
        #expect(broken.description.hasPrefix("not valid JSON at byte 15"))
    }

    @Test func aSeedBuiltInSwiftIsCheckedBeforeServing() async throws {
        var seed = EmulatorSeed.demoOrg
        seed.campaigns[0].campaign["queue"] = "q1"
        var configuration = EmulatorConfiguration()
        configuration.seed = seed
        let error = await #expect(throws: EmulatorSeed.Invalid.self) {
            try await GenesysEmulator.withRunning(configuration) { _ in }
        }
        #expect(error?.violations.map(\.path) == ["campaigns[0].campaign.queue"])
    }

    @Test func theDemoSeedReadsBackAsItWasPrinted() throws {
        #expect(try EmulatorSeed(parsing: Data(EmulatorSeed.demoOrg.jsonText().utf8)) == EmulatorSeed.demoOrg)
        #expect(EmulatorSeed.demoOrg.campaigns.count == 14)
        #expect(throws: Never.self) { try EmulatorSeed.demoOrg.validate() }
    }

    @Test func apiBodiesOfTheWrongKindAreA400NamingTheField() async throws {
        try await EmulatorTestClient.run { client in
            let created = try await client.api(.POST, "/api/v2/outbound/campaigns", try Self.odd { $0["queue"] = "q1" })
            #expect(created.status == 400)
            #expect(created.json["code"] == "invalid.property")
            #expect(
                created.json["message"]?.stringValue?.contains(
                    #"queue: expected an object (DomainEntityRef), got text ("q1")"#) == true)

            let draft = Demo.campaign("Q4_Renewals")
            let put = try await client.put(draft) { $0["phoneColumns"] = "Cell" }
            #expect(put.status == 400)
            #expect(put.json["message"]?.stringValue?.contains("phoneColumns: expected a list") == true)

            let patch = try await client.api(
                .PATCH, "/api/v2/outbound/campaigns/\(draft)", #"{"outboundLineCount":"many"}"#)
            #expect(patch.status == 400)
            #expect(patch.json["message"]?.stringValue?.contains("outboundLineCount: expected a number") == true)

            let query = #"{"filter":{"type":"or","predicates":{"dimension":"queueId"}},"metrics":["oOnQueueUsers"]}"#
            let observations = try await client.api(.POST, "/api/v2/analytics/queues/observations/query", query)
            #expect(observations.status == 400)
            #expect(observations.json["message"]?.stringValue?.contains("filter.predicates: expected a list") == true)

            let syntax = try await client.api(.POST, "/api/v2/outbound/campaigns", #"{"name": }"#)
            #expect(syntax.status == 400)
            #expect(syntax.json["message"]?.stringValue?.contains("not valid JSON at byte 9") == true)
        }
    }

    @Test func controlDocumentsOfTheWrongKindAreA400NamingTheField() async throws {
        try await EmulatorTestClient.run { client in
            let draft = Demo.campaign("Q4_Renewals")
            let put = try await client.control(.PUT, "/campaigns/\(draft)", try Self.odd { $0["queue"] = "q1" })
            #expect(put.status == 400)
            #expect(put.json["message"]?.stringValue?.contains("queue: expected an object") == true)

            let state = try await client.control(.POST, "/campaigns/\(draft)/state", #"{"errors":"broken"}"#)
            #expect(state.status == 400)
            #expect(
                state.json["message"]?.stringValue?.contains(#"errors: expected a list, got text ("broken")"#) == true)

            let fault = try await client.control(.POST, "/faults", #"{"status":"503"}"#)
            #expect(fault.status == 400)
            #expect(fault.json["message"]?.stringValue?.contains("status: expected a whole number") == true)

            let agents = try await client.control(.PUT, "/queues/\(Demo.queue("Collections"))/agents", #"{"IDLE":1.5}"#)
            #expect(agents.status == 400)
            #expect(agents.json["message"]?.stringValue?.contains("IDLE: expected a whole number") == true)

            // Nothing was changed by the refusals.
            #expect(try await client.api(.GET, "/api/v2/outbound/campaigns/\(draft)").json["version"] == 5)
        }
    }
}
