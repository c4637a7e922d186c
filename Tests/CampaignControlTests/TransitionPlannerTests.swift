import CampaignControl
import GenesysCloud
import Testing

/// The engine's decision step, without a server: which requests each verb sends from each state.
@Suite struct TransitionPlannerTests {
    static func options(wait: Bool = true) -> TransitionOptions {
        var options = TransitionOptions()
        options.wait = wait
        return options
    }

    @Test(arguments: [
        (Verb.activate, Lifecycle.paused, TransitionPlan.steps([.readAndCheck, .turnOn])),
        (.activate, .active, .noop(nil)),
        (.pause, .active, .steps([.stop, .waitUntilNotDialing])),
        (.pause, .unknown, .steps([.stop, .waitUntilNotDialing])),
        (.pause, .pausing, .steps([.waitUntilNotDialing])),
        (.pause, .complete, .noop("not dialing: it is complete")),
        (.archive, .active, .steps([.stop, .waitUntilNotDialing, .keepSnapshot, .delete])),
        (.archive, .pausing, .steps([.waitUntilNotDialing, .keepSnapshot, .delete])),
        (.archive, .invalid, .steps([.keepSnapshot, .delete])),
        (.recycle, .complete, .steps([.resetProgress])),
        (.restore, .archived, .steps([.create])),
    ])
    func eachVerbPlansItsRequests(verb: Verb, state: Lifecycle, expected: TransitionPlan) {
        #expect(TransitionPlanner.plan(verb, from: state, options: Self.options()) == expected)
    }

    @Test func aPauseWithoutWaitingOnlyStops() {
        #expect(TransitionPlanner.plan(.pause, from: .active, options: Self.options(wait: false)) == .steps([.stop]))
        #expect(TransitionPlanner.plan(.pause, from: .pausing, options: Self.options(wait: false)) == .noop(nil))
        // The snapshot must be of a campaign that no longer dials: archive waits whatever --no-wait says.
        #expect(
            TransitionPlanner.plan(.archive, from: .active, options: Self.options(wait: false))
                == .steps([.stop, .waitUntilNotDialing, .keepSnapshot, .delete]))
    }

    @Test func everyRefusalOfThePolicyIsARefusedPlan() {
        for verb in Verb.allCases {
            for state in Lifecycle.allCases {
                guard case .refuse(let reason) = LifecyclePolicy.decide(verb, from: state) else { continue }
                #expect(TransitionPlanner.plan(verb, from: state, options: Self.options()) == .refuse(reason))
            }
        }
    }

    @Test func thePreflightRefusesUnlessEveryOpenCheckIsOverridden() {
        let checks = [
            PreflightCheck(name: .errors, state: .pass, figure: "none"),
            PreflightCheck(name: .agents, state: .fail, figure: "0 idle on-queue agents, 1 needed"),
            PreflightCheck(name: .capacity, state: .unknown, figure: "cannot count active campaigns: 403"),
        ]
        #expect(
            TransitionPlanner.refusal(checks, overrides: [])
                == "pre-flight failed: agents fail (0 idle on-queue agents, 1 needed), capacity unknown "
                + "(cannot count active campaigns: 403); --override agents,capacity --reason \"…\" to proceed")
        #expect(
            TransitionPlanner.refusal(checks, overrides: [.agents])?.hasPrefix("pre-flight failed: capacity unknown")
                == true)
        #expect(TransitionPlanner.refusal(checks, overrides: [.agents, .capacity]) == nil)
        let errors = [PreflightCheck(name: .errors, state: .fail, figure: "Queue not found")]
        #expect(
            TransitionPlanner.refusal(errors, overrides: [.errors])
                == "pre-flight failed: errors fail (Queue not found)")
    }
}
