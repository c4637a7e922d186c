import Foundation
import GenesysCloud
import Testing

@Suite struct CampaignModelTests {
    /// A campaign as a newer Genesys might send it: a top-level field, a nested field and an enum value
    /// this client has never heard of.
    static let received = """
        {"id":"c1","name":"Q4","version":7,"campaignStatus":"off","dialingMode":"hyperdrive",
         "contactList":{"id":"l1","name":"List","selfUri":"/api/v2/outbound/contactlists/l1","region":"emea"},
         "phoneColumns":[{"columnName":"Cell","type":"cell"}],"callerName":"Contoso","callerAddress":"+1317555",
         "futureField":{"nested":[1,2.5,"x",null,true]},"abandonRate":2.5}
        """

    @Test func jsonValuesKeepTheirKind() throws {
        let json = #"{"s":"1","i":-7,"big":9007199254740993,"d":2.5,"t":true,"f":false,"n":null,"a":[1,"1",[],{}],"o":{"e":""}}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        #expect(value == .object([
            "s": .string("1"), "i": .integer(-7), "big": .integer(9_007_199_254_740_993), "d": .number(2.5),
            "t": .bool(true), "f": .bool(false), "n": .null,
            "a": .array([.integer(1), .string("1"), .array([]), .object([:])]), "o": .object(["e": .string("")]),
        ]))
    }

    @Test func unknownFieldsAndEnumValuesSurviveARoundTrip() throws {
        let campaign = try JSONDecoder().decode(Campaign.self, from: Data(Self.received.utf8))
        #expect(campaign.dialingMode == DialingMode(rawValue: "hyperdrive"))
        #expect(campaign.dialingMode?.isKnown == false)
        #expect(campaign.unknownFields.keys.sorted() == ["futureField"])
        let original = try JSONDecoder().decode(JSONValue.self, from: Data(Self.received.utf8))
        let encoded = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(campaign))
        #expect(encoded == original)
    }

    @Test func aStatusChangeChangesOnlyTheStatus() throws {
        let campaign = try JSONDecoder().decode(Campaign.self, from: Data(Self.received.utf8))
        let body = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(campaign.with(status: .on)))
        guard case .object(var expected) = try JSONDecoder().decode(JSONValue.self, from: Data(Self.received.utf8)) else {
            Issue.record("not an object")
            return
        }
        expected["campaignStatus"] = "on"
        #expect(body == .object(expected))
    }

    @Test func editedFieldsReplaceTheirJSONAndClearedOnesDisappear() throws {
        var campaign = try JSONDecoder().decode(Campaign.self, from: Data(Self.received.utf8))
        campaign.callerName = "Fabrikam"
        campaign.abandonRate = nil
        let object = try campaign.jsonObject()
        #expect(object["callerName"] == "Fabrikam")
        #expect(object["abandonRate"] == nil)
        #expect(object["contactList"]?["region"] == "emea")
    }

    @Test func aNewCampaignEncodesOnlyItsFields() throws {
        var fields = Campaign.Fields()
        fields.name = "New"
        fields.campaignStatus = .off
        let object = try Campaign(fields).jsonObject()
        #expect(object == ["name": "New", "campaignStatus": "off"])
    }

    @Test func statusesOccupyingAnActiveSlot() {
        #expect(CampaignStatus.knownValues.filter(\.occupiesActiveSlot) == [.on, .stopping, .forcedStopping])
    }

    @Test func versionConflictsAreRecognisedByStatusAndMessage() {
        #expect(GenesysError(kind: .api, request: "PUT x", status: 409, message: "conflict").isVersionConflict)
        #expect(
            GenesysError(kind: .api, request: "PUT x", status: 400, message: "does not match the current version")
                .isVersionConflict
        )
        #expect(!GenesysError(kind: .api, request: "PUT x", status: 400, message: "Invalid transition").isVersionConflict)
    }
}
