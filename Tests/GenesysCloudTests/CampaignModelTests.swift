import Foundation
import GenesysCloud
import JSONDocument
import Testing

@Suite struct CampaignModelTests {
    /// A campaign as real orgs send it: a decimal where the SDK says integer, a phone column without
    /// `type`, a field, a nested field and an enum value this client has never heard of.
    static let received =
        #"{"id":"c1","name":"Q4","version":7,"campaignStatus":"off","dialingMode":"hyperdrive","#
        + #""contactList":{"id":"l1","name":"List","selfUri":"/api/v2/outbound/contactlists/l1","region":"emea"},"#
        + #""phoneColumns":[{"columnName":"Cell"}],"callerName":"Contoso","callerAddress":"+1317555","#
        + #""futureField":{"nested":[1,2.50,"x",null,true]},"abandonRate":2.5,"maxCallsPerAgent":1.50,"#
        + #""maxCallsPerAgentDecimal":1.50}"#

    static func campaign() throws -> Campaign {
        try #require(Campaign(json: try JSONValue(parsing: received)))
    }

    @Test func looseShapesAreReadNotRefused() throws {
        let campaign = try Self.campaign()
        #expect(campaign.maxCallsPerAgent == 1.5)
        #expect(campaign.dialingMode == DialingMode(rawValue: "hyperdrive") && campaign.dialingMode?.isKnown == false)
        #expect(campaign.phoneColumns?.first?.columnName == "Cell" && campaign.phoneColumns?.first?.type == nil)
        #expect(campaign.unknownFields == ["futureField"])
        #expect(campaign.unreadableFields.isEmpty)
    }

    @Test func aStatusChangeSendsEveryOtherByteAsReceived() throws {
        let body = try Self.campaign().with(status: .on).json.jsonText
        #expect(
            body == Self.received.replacingOccurrences(of: #""campaignStatus":"off""#, with: #""campaignStatus":"on""#))
    }

    @Test func aMemberOfTheWrongKindReadsAsNilAndIsNamed() throws {
        let odd = try #require(
            Campaign(json: try JSONValue(parsing: #"{"id":"c2","name":7,"version":"7","queue":"q1","errors":{"e":1}}"#))
        )
        #expect(odd.name == nil && odd.version == nil && odd.queue == nil && odd.errors == nil)
        #expect(odd.errorsAreUnreadable)
        let problems = odd.unreadableFields
        #expect(problems.count == 4)
        #expect(problems.contains { $0.hasPrefix("name is a number (7), expected text") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("queue is text (\"q1\"), expected an object") }, "\(problems)")
        // Sent back exactly as it came.
        #expect(
            odd.with(status: .on).json.jsonText
                == #"{"id":"c2","name":7,"version":"7","queue":"q1","errors":{"e":1},"campaignStatus":"on"}"#)
    }

    @Test func aWholeNumberVersionIsReadFromAnySpelling() throws {
        #expect(Campaign(json: try JSONValue(parsing: #"{"version":7.0}"#))?.version == 7)
        let fractional = try #require(Campaign(json: try JSONValue(parsing: #"{"version":7.5}"#)))
        #expect(fractional.version == nil)
        #expect(fractional.unreadableFields == ["version is 7.5, expected a whole number"])
    }

    @Test func statusesOccupyingAnActiveSlotAndSettledOnes() {
        #expect(CampaignStatus.knownValues.filter(\.occupiesActiveSlot) == [.on, .stopping, .forcedStopping])
        #expect(CampaignStatus.knownValues.filter(\.isSettledOff) == [.off, .complete, .invalid, .forcedOff])
    }

    @Test func versionConflictsAreRecognisedByStatusAndMessage() {
        #expect(GenesysError(kind: .api, request: "PUT x", status: 409, message: "conflict").isVersionConflict)
        #expect(
            GenesysError(kind: .api, request: "PUT x", status: 400, message: "does not match the current version")
                .isVersionConflict
        )
        #expect(
            !GenesysError(kind: .api, request: "PUT x", status: 400, message: "Invalid transition").isVersionConflict)
    }
}
