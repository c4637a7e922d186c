import CampaignControl
import Foundation
import GenesysCloud
import JSONDocument
import Testing

/// `pause --hold`'s plan, as a pure function of what drives the org: it never changes what a rule or a
/// sequence does to another campaign.
struct HoldPlanTests {
    static let campaign = Campaign(document: ["id": "x", "name": "X"])

    static func rule(_ text: String) -> CampaignRule { CampaignRule(json: try! JSONValue(parsing: Data(text.utf8)))! }

    static func plan(rules: [CampaignRule] = [], sequences: [CampaignSequence] = [], schedules: [CampaignSchedule] = [])
        -> HoldPlan
    {
        HoldPlan(holding: campaign, drivers: OrgDrivers(schedules: schedules, rules: rules, sequences: sequences))
    }

    static func edited(_ plan: HoldPlan) -> (after: CampaignRule, change: String)? {
        guard case .editRule(_, let after, let change, _)? = plan.steps.first else { return nil }
        return (after, change)
    }

    @Test func aRuleThatAlsoTurnsOnAnotherLosesOnlyThisCampaign() throws {
        let plan = Self.plan(rules: [
            Self.rule(
                #"{"id":"r","name":"R","enabled":true,"campaignRuleActions":[{"actionType":"turnOnCampaign","campaignRuleActionEntities":{"campaigns":[{"id":"x"},{"id":"y"}]}},{"actionType":"recycleCampaign","campaignRuleActionEntities":{"campaigns":[{"id":"x"}]}}]}"#
            )
        ])
        let (after, change) = try #require(Self.edited(plan))
        #expect(change == "take it out of the turn-on action of the rule 'R'")
        #expect(after.enabled)
        #expect(after.actions.map(\.campaigns) == [["y"], ["x"]])  // the recycle is not a turn-on: kept
        #expect(plan.cannot.isEmpty)
    }

    @Test(arguments: [
        #"{"id":"r","name":"R","enabled":true,"campaignRuleActions":[{"actionType":"turnOnCampaign","campaignRuleActionEntities":{"campaigns":[{"id":"x"}]}}]}"#,
        #"{"id":"r","name":"R","enabled":true,"campaignRuleEntities":{"campaigns":[{"id":"x"}]},"campaignRuleActions":[{"actionType":"turnOnCampaign","campaignRuleActionEntities":{"useTriggeringEntity":true}}]}"#,
    ])
    func aRuleThatTurnsOnOnlyThisCampaignIsDisabled(rule: String) throws {
        let (after, change) = try #require(Self.edited(Self.plan(rules: [Self.rule(rule)])))
        #expect(change == "disable the rule 'R' (it turns on nothing else)")
        #expect(!after.enabled)
        #expect(after.document["campaignRuleActions"] == Self.rule(rule).document["campaignRuleActions"])
    }

    @Test func aRuleThatTurnsOnWhicheverOfSeveralTriggersIsNotChanged() {
        let plan = Self.plan(rules: [
            Self.rule(
                #"{"id":"r","name":"R","enabled":true,"campaignRuleEntities":{"campaigns":[{"id":"x"},{"id":"y"}]},"campaignRuleActions":[{"actionType":"turnOnCampaign","campaignRuleActionEntities":{"useTriggeringEntity":true}}]}"#
            )
        ])
        #expect(plan.steps.isEmpty)
        #expect(
            plan.cannot.first?.contains("turns on whichever of its campaigns triggers it, X among 1 others") == true)
    }

    @Test func aDisabledRuleAndAStoppedSequenceNeedNothingAndARunningOneIsNamed() {
        let disabled = Self.rule(
            #"{"id":"r","enabled":false,"campaignRuleActions":[{"actionType":"turnOnCampaign","campaignRuleActionEntities":{"campaigns":[{"id":"x"}]}}]}"#
        )
        let stopped = CampaignSequence(document: ["id": "s", "name": "S", "status": "off", "campaigns": [["id": "x"]]])
        #expect(Self.plan(rules: [disabled], sequences: [stopped]).lines.isEmpty)
        var running = stopped
        running.document["status"] = "on"
        running.document["campaigns"] = [["id": "x"], ["id": "y"]]
        let plan = Self.plan(sequences: [running])
        #expect(plan.steps.isEmpty)
        #expect(plan.cannot.first?.contains("stopping it would stop its 1 other campaign") == true)
    }

    @Test func itsScheduleIsDeleted() {
        let schedule = CampaignSchedule(document: ["id": "x", "campaign": ["id": "x"], "intervals": []])
        let plan = Self.plan(schedules: [schedule])
        guard case .deleteSchedule(let deleted)? = plan.steps.first else {
            Issue.record("no schedule step: \(plan.lines)")
            return
        }
        #expect(deleted == schedule)
    }
}

/// Callable hours: in the slot's own zone, ISO weekdays (1 is Monday), and the next window.
struct CallableTimeSetTests {
    static let set = CallableTimeSet(document: [
        "callableTimes": [
            [
                "timeZoneId": "Europe/Paris",
                "timeSlots": [["day": 1, "startTime": "09:00:00", "stopTime": "17:00:00"]],
            ]
        ]
    ])

    static func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test func insideAndOutsideItsWindow() {
        // Monday 1 December 2025, 10:00 in Paris is 09:00 UTC.
        #expect(Self.set.callable(at: Self.date("2025-12-01T09:00:00Z")).now)
        #expect(!Self.set.callable(at: Self.date("2025-12-01T16:30:00Z")).now)  // 17:30 in Paris
        let sunday = Self.set.callable(at: Self.date("2025-11-30T12:00:00Z"))
        #expect(!sunday.now)
        #expect(sunday.next?.start == Self.date("2025-12-01T08:00:00Z"))
    }
}
