import Foundation
import GenesysTestSupport
import JSONDocument
import Testing

@testable import GenesysCloud

/// Seeded mutations of the API's answers through the JSON reader and every response model: each is read
/// or refused, never a crash, and what reads writes back as it was. `FUZZ_ITERATIONS` inputs per target.
@Suite struct FuzzTests {
    static let tokens = [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "null", "true", "1e999", "-0", "1.50",
        "9007199254740993",
        "\"campaignStatus\":7", "\"version\":\"4\"", "\u{0}", "é",
    ]

    static let answers = [
        #"{"id":"c-1","name":"Q4","version":4,"campaignStatus":"on","maxCallsPerAgent":1.5,"phoneColumns":[{"columnName":"Cell"}],"queue":{"id":"q-1","name":"Sales"},"errors":[{"message":"x"}],"dialingMode":"predictive","outboundLineCount":10}"#,
        #"{"campaign":{"id":"c-1"},"numberOfContactsCalled":5,"totalNumberOfContacts":10,"percentage":50}"#,
        #"{"contactRate":{"attempts":3,"connects":1,"connectRatio":0.33},"idleAgents":2,"effectiveIdleAgents":1.5,"adjustedCallsPerAgent":2,"outstandingCalls":0,"scheduledCalls":0}"#,
        #"{"id":"u-1","name":"Ann","routingStatus":{"status":"IDLE"},"joined":true,"memberBy":"user"}"#,
        #"{"entities":[{"id":"c-1"},3,null],"pageSize":100,"pageNumber":1,"total":3,"pageCount":1,"nextUri":null}"#,
    ]

    @Test func answersNeverCrashTheModels() throws {
        var random = Fuzz()
        for _ in 0..<Fuzz.iterations {
            let bytes = random.mutate(Self.answers.randomElement(using: &random)!, tokens: Self.tokens)
            guard let json = try? JSONValue(parsing: bytes) else { continue }
            // What reads writes back, and reads again as the same value.
            let written = json.serialized()
            #expect(try JSONValue(parsing: written) == json)
            if let campaign = Campaign(json: json) {
                _ = (campaign.id, campaign.name, campaign.version, campaign.campaignStatus, campaign.dialingMode)
                _ = (campaign.queue, campaign.errors, campaign.phoneColumns, campaign.maxCallsPerAgent)
                _ = (campaign.unreadableFields, campaign.unknownFields, campaign.errorsAreUnreadable)
            }
            _ = CampaignProgress(json: json)
            _ = CampaignStats(json: json)
            _ = QueueMember(json: json)
            for entity in json["entities"]?.arrayValue ?? [] { _ = Campaign(json: entity) }
        }
    }
}
