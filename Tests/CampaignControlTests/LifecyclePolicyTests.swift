import CampaignControl
import GenesysCloud
import Testing

@Suite struct LifecyclePolicyTests {
    @Test(arguments: [
        (CampaignStatus.on, nil as Int?, [] as [RestErrorDetail], Lifecycle.active),
        (.stopping, nil, [], .pausing),
        (.forcedStopping, nil, [], .pausing),
        (.off, 0, [], .draft),
        (.off, 12, [], .paused),
        (.forcedOff, 3, [], .paused),
        (.complete, 100, [], .complete),
        (.invalid, 0, [], .invalid),
        (.off, 0, [RestErrorDetail(error: "Queue not found")], .invalid),
        (.forcedOff, 5, [RestErrorDetail(error: "Edge lost")], .invalid),
        // Status first: a running campaign with errors is active, so it can always be stopped.
        (.on, nil, [RestErrorDetail(error: "Contact list not found")], .active),
        (.stopping, nil, [RestErrorDetail(error: "x")], .pausing),
        (.complete, 100, [RestErrorDetail(error: "x")], .complete),
        (CampaignStatus(rawValue: "hibernating"), nil, [], .unknown),
    ])
    func lifecycleFollowsStatusErrorsAndProgress(
        status: CampaignStatus, called: Int?, errors: [RestErrorDetail], expected: Lifecycle
    ) {
        #expect(Lifecycle(status: status, errors: errors, contactsCalled: called) == expected)
    }

    /// The whole verb table: every verb from every state.
    static let table: [(Verb, Lifecycle, TransitionDecision?)] = [
        (.activate, .draft, .turnOn), (.activate, .paused, .turnOn), (.activate, .complete, .turnOn),
        (.activate, .active, .noop(nil)), (.activate, .pausing, nil), (.activate, .invalid, nil),
        (.activate, .archived, nil), (.activate, .unknown, nil),
        (.pause, .active, .stop), (.pause, .pausing, .waitUntilOff), (.pause, .paused, .noop(nil)),
        (.pause, .draft, .noop(nil)), (.pause, .complete, .noop("not dialing: it is complete")),
        (.pause, .invalid, .noop("not dialing: it is invalid")), (.pause, .archived, nil),
        (.pause, .unknown, .stop),
        (.archive, .active, .pauseThenArchive), (.archive, .pausing, .pauseThenArchive), (.archive, .draft, .archive),
        (.archive, .paused, .archive), (.archive, .complete, .archive), (.archive, .invalid, .archive),
        (.archive, .archived, .noop("already archived")),
        (.archive, .unknown, nil),
        (.restore, .archived, .recreate), (.restore, .draft, nil), (.restore, .active, nil), (.restore, .paused, nil),
        (.restore, .pausing, nil), (.restore, .complete, nil), (.restore, .invalid, nil), (.restore, .unknown, nil),
        (.recycle, .paused, .recycle), (.recycle, .complete, .recycle), (.recycle, .draft, .noop(nil)),
        (.recycle, .active, nil), (.recycle, .pausing, nil), (.recycle, .invalid, nil), (.recycle, .archived, nil),
        (.recycle, .unknown, nil),
    ]

    @Test func theTableCoversEveryVerbAndState() {
        for verb in Verb.allCases {
            for state in Lifecycle.allCases {
                #expect(Self.table.contains { $0.0 == verb && $0.1 == state }, "missing \(verb) from \(state)")
            }
        }
    }

    @Test func everyVerbFromEveryState() {
        for (verb, state, expected) in Self.table {
            let decision = LifecyclePolicy.decide(verb, from: state)
            if let expected {
                #expect(decision == expected, "\(verb) from \(state)")
            } else {
                guard case .refuse(let reason) = decision else {
                    Issue.record("\(verb) from \(state) should be refused, got \(decision)")
                    continue
                }
                #expect(reason.contains("is \(state.rawValue)"), "the refusal names the state: \(reason)")
                #expect(reason.contains("allowed from:"), "the refusal says what is allowed: \(reason)")
            }
        }
    }

    @Test func transitionTakesLifecycleWords() {
        #expect(Verb(reaching: .active) == .activate)
        #expect(Verb(reaching: .paused) == .pause)
        #expect(Verb(reaching: .archived) == .archive)
        #expect(Verb(reaching: .draft) == .recycle)
        #expect(Verb(reaching: .complete) == nil)
    }
}
