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

extension HoldPlanTests {
    static func sequence(_ text: String) -> CampaignSequence {
        CampaignSequence(json: try! JSONValue(parsing: Data(text.utf8)))!
    }

    /// An off sequence that a rule can turn on loses the campaign (the current one stays current); one
    /// that nothing can start is left alone; one whose only campaign it is cannot be held.
    @Test func aStartableSequenceLosesOnlyThisCampaign() throws {
        let startable = Self.sequence(
            #"{"id":"s","name":"S","status":"off","currentCampaign":2,"campaigns":[{"id":"a"},{"id":"x"},{"id":"b"}]}"#)
        let idle = Self.sequence(#"{"id":"t","name":"T","status":"off","campaigns":[{"id":"x"},{"id":"c"}]}"#)
        let alone = Self.sequence(#"{"id":"u","name":"U","status":"off","campaigns":[{"id":"x"}]}"#)
        let rule = Self.rule(
            #"{"id":"r","name":"R","enabled":true,"campaignRuleActions":[{"actionType":"turnOnSequence","campaignRuleActionEntities":{"sequences":[{"id":"s"},{"id":"u"}]}}]}"#
        )
        let plan = Self.plan(rules: [rule], sequences: [startable, idle, alone])
        guard case .editSequence(let before, let after)? = plan.steps.first, plan.steps.count == 1 else {
            Issue.record("\(plan.steps)")
            return
        }
        #expect(before.id == "s")
        #expect(after.campaigns == ["a", "b"])
        #expect(after.currentCampaignID == "b")
        #expect(plan.cannot.count == 1)
        #expect(plan.cannot.first?.contains("the sequence 'U' can be started and X is its only campaign") == true)
    }
}

/// Schedule windows, one-off and recurring, in the schedule's zone or the recurrence's own.
struct ScheduleWindowTests {
    static func schedule(_ text: String) -> CampaignSchedule {
        CampaignSchedule(json: try! JSONValue(parsing: Data(text.utf8)))!
    }

    static func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test func aDailyRecurrenceOpensEveryDayInItsZone() throws {
        let schedule = Self.schedule(
            #"{"timeZone":"Europe/Paris","recurrences":[{"start":"2026-01-05T08:00:00","end":"2026-01-05T09:30:00","pattern":{"type":"Daily","interval":1},"range":{"type":"NoEnd"}}]}"#
        )
        // 10 March 2026, 08:30 in Paris (UTC+1) is 07:30 UTC.
        let open = try #require(schedule.window(at: Self.date("2026-03-10T07:30:00Z")))
        #expect(open.open)
        #expect(open.start == Self.date("2026-03-10T07:00:00Z"))
        #expect(open.end == Self.date("2026-03-10T08:30:00Z"))
        let next = try #require(schedule.window(at: Self.date("2026-03-10T09:00:00Z")))
        #expect(!next.open)
        #expect(next.start == Self.date("2026-03-11T07:00:00Z"))
        #expect(schedule.window(at: Self.date("2026-01-01T00:00:00Z"))?.start == Self.date("2026-01-05T07:00:00Z"))
    }

    @Test func aWeeklyRecurrenceKeepsItsDaysItsRangeAndItsExclusions() throws {
        // Mondays and Wednesdays every other week from Monday 5 January 2026, six occurrences, 12 January's
        // week skipped by the interval and 19 January excluded.
        let schedule = Self.schedule(
            #"{"timeZone":"UTC","recurrences":[{"start":"2026-01-05T10:00:00","end":"2026-01-05T11:00:00","pattern":{"type":"Weekly","interval":2,"daysOfWeek":["Monday","Wednesday"]},"range":{"type":"Numbered","numberOfOccurrences":6},"alterations":[{"type":"Exclusion","start":"2026-01-19T00:00:00","end":"2026-01-20T00:00:00"}]}]}"#
        )
        let starts = [
            "2026-01-05T10:00:00Z", "2026-01-07T10:00:00Z", "2026-01-21T10:00:00Z", "2026-02-02T10:00:00Z",
            "2026-02-04T10:00:00Z",
        ]
        var now = Self.date("2026-01-01T00:00:00Z")
        for start in starts {
            let next = try #require(schedule.window(at: now), "after \(now)")
            #expect(next.start == Self.date(start))
            now = next.end
        }
        #expect(schedule.window(at: now) == nil, "six occurrences, one of them excluded")
    }

    @Test func aOneOffIntervalAndARecurrenceTogether() throws {
        let schedule = Self.schedule(
            #"{"intervals":[{"start":"2026-02-01T06:00:00.000Z","end":"2026-02-01T07:00:00.000Z"}],"recurrences":[{"start":"2026-01-01T09:00:00","end":"2026-01-01T10:00:00","pattern":{"type":"Daily","interval":7},"range":{"type":"EndDate","end":"2026-01-31T00:00:00"}}]}"#
        )
        #expect(schedule.window(at: Self.date("2026-01-29T12:00:00Z"))?.start == Self.date("2026-02-01T06:00:00Z"))
        #expect(schedule.window(at: Self.date("2026-01-08T09:30:00Z"))?.open == true)
    }
}
