import Foundation
import GenesysEmulator
import GenesysTestSupport
import JSONDocument
import NIOHTTP1
import Testing

/// Emulator time (`POST /emulator/v1/clock`) drives dialing: an `on` campaign calls its contacts only
/// inside its callable hours, completes when every contact is called, and its sequence moves on; a
/// sequence schedule starts a sequence.
@Suite struct DialingTimeTests {
    static let east = Demo.campaign("Q4_Promo_East")
    static let renewals = Demo.campaign("Q4_Renewals")

    static func called(_ client: EmulatorTestClient, _ id: String) async throws -> Int? {
        try await client.api(.GET, "/api/v2/outbound/campaigns/\(id)/progress").json["numberOfContactsCalled"]?
            .intValue
    }

    static func advance(_ client: EmulatorTestClient, minutes: Int) async throws {
        let moved = try await client.control(.POST, "/clock", #"{"advanceSeconds":\#(minutes * 60)}"#)
        #expect(moved.status == 204)
    }

    /// A callable time set with one slot today, from `from` to `to` (UTC hours), or all day.
    static func timeSet(_ client: EmulatorTestClient, _ id: String, hours: (Int, Int)?) async throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let today = (calendar.component(.weekday, from: Date()) + 5) % 7 + 1
        let slots = (1...7).map { day -> String in
            let (from, to) = hours ?? (0, 24)
            guard day == today || hours == nil else { return "" }
            return
                #"{"day":\#(day),"startTime":"\#(String(format: "%02d", from)):00:00","stopTime":"\#(to == 24 ? "23:59:59" : String(format: "%02d:00:00", to))"}"#
        }.filter { !$0.isEmpty }.joined(separator: ",")
        let stored = try await client.control(
            .PUT, "/callabletimesets/\(id)",
            #"{"name":"\#(id)","callableTimes":[{"timeZoneId":"UTC","timeSlots":[\#(slots)]}]}"#)
        #expect(stored.status == 200, "\(String(decoding: stored.body, as: UTF8.self))")
        let campaign = try await client.api(.GET, "/api/v2/outbound/campaigns/\(east)").json
        guard var document = campaign.objectValue else { return }
        document["callableTimeSet"] = ["id": .string(id)]
        #expect(try await client.control(.PUT, "/campaigns/\(east)", JSONValue.object(document).jsonText).status == 200)
    }

    @Test func anOnCampaignDialsOnlyInItsCallableHours() async throws {
        try await EmulatorTestClient.run(configure: { $0.callsPerMinute = 10 }) { client in
            let start = try await Self.called(client, Self.east) ?? -1
            // A slot that ended an hour before midnight yesterday… in effect: none now.
            let hour = Calendar(identifier: .gregorian).dateComponents(in: .gmt, from: Date()).hour ?? 0
            try await Self.timeSet(client, "closed", hours: hour >= 12 ? (0, 1) : (22, 23))
            try await Self.advance(client, minutes: 5)
            #expect(try await Self.called(client, Self.east) == start, "progress moved outside callable hours")
            try await Self.timeSet(client, "always", hours: nil)
            try await Self.advance(client, minutes: 5)
            #expect(try await Self.called(client, Self.east) == start + 50)
        }
    }

    @Test func aCampaignThatCallsEveryContactCompletesAndItsSequenceMovesOn() async throws {
        try await EmulatorTestClient.run(configure: { $0.callsPerMinute = 100 }) { client in
            #expect(
                try await client.control(.POST, "/campaigns/\(Self.east)/state", #"{"contactsCalled":11950}"#).status
                    == 200)
            let sequence =
                #"{"name":"East then Renewals","status":"on","currentCampaign":0,"campaigns":[{"id":"\#(Self.east)"},{"id":"\#(Self.renewals)"}]}"#
            #expect(try await client.control(.PUT, "/sequences/seq-1", sequence).status == 200)
            try await Self.advance(client, minutes: 1)
            #expect(try await client.status(of: Self.east) == "complete")
            #expect(try await client.status(of: Self.renewals) == "on")
            let moved = try await client.api(.GET, "/api/v2/outbound/sequences/seq-1").json
            #expect(moved["currentCampaign"]?.intValue == 1)
        }
    }

    @Test func aSequenceScheduleStartsTheSequenceAndItsCurrentCampaign() async throws {
        try await EmulatorTestClient.run { client in
            let sequence =
                #"{"name":"Renewals then East","status":"off","currentCampaign":0,"campaigns":[{"id":"\#(Self.renewals)"},{"id":"\#(Self.east)"}]}"#
            #expect(try await client.control(.PUT, "/sequences/seq-2", sequence).status == 200)
            let format = Date.ISO8601FormatStyle()
            let opens = Date().addingTimeInterval(600).formatted(format)
            let closes = Date().addingTimeInterval(4200).formatted(format)
            let schedule =
                #"{"name":"Evening","timeZone":"UTC","sequence":{"id":"seq-2"},"intervals":[{"start":"\#(opens)","end":"\#(closes)"}]}"#
            #expect(try await client.control(.PUT, "/sequenceschedules/seq-2", schedule).status == 200)
            let listed = try await client.api(.GET, "/api/v2/outbound/schedules/sequences").json
            #expect(listed.arrayValue?.count == 1)
            #expect(try await client.status(of: Self.renewals) == "off")
            try await Self.advance(client, minutes: 11)
            #expect(try await client.api(.GET, "/api/v2/outbound/sequences/seq-2").json["status"] == "on")
            #expect(try await client.status(of: Self.renewals) == "on")
            // What acted is in the dialer's events, newest first.
            let events = try await client.api(.GET, "/api/v2/outbound/events?category=CAMPAIGN").json
            #expect(
                events["entities"]?.arrayValue?.first?["errorEntity"]?["id"]?.stringValue == Self.renewals,
                "\(events)")
        }
    }

    @Test func theClockMovesAMonthAtMost() async throws {
        try await EmulatorTestClient.run { client in
            let refused = try await client.control(.POST, "/clock", #"{"advanceSeconds":2678401}"#)
            #expect(refused.status == 400)
        }
    }

    /// Diagnostics come from what the emulator knows: progress, idle agents and the campaign's errors.
    @Test func diagnosticsReportProgressAgentsAndErrors() async throws {
        try await EmulatorTestClient.run { client in
            let east = try await client.api(.GET, "/api/v2/outbound/campaigns/\(Self.east)/diagnostics")
            #expect(east.status == 200)
            #expect(east.json["numberOfContactsCalled"]?.intValue == 4_210)
            #expect(east.json["totalNumberOfContacts"]?.intValue == 12_000)
            #expect((east.json["idleAgents"]?.intValue ?? 0) > 0)
            let invalid = try await client.api(
                .GET, "/api/v2/outbound/campaigns/\(Demo.campaign("Survey_CSAT_Nov"))/diagnostics")
            #expect(invalid.json["campaignErrors"]?.arrayValue?.first?["error"] == "Contact list not found")
            #expect(invalid.json["idleAgents"]?.intValue == 0)
        }
    }
}
