import AuditStore
import CampaignControl
import Foundation
import GenesysCloud
import GenesysEmulator
import GenesysTestSupport
import JSONDocument
import Testing

/// The transition engine against the live emulator, with a real audit database.
@Suite struct TransitionEngineTests {
    struct Fixture: Sendable {
        let harness: EmulatorHarness
        let audit: AuditLog
        let engine: TransitionEngine

        var client: GenesysClient { harness.client }

        /// The rows of outcomes (intents left out), once it is checked that each intent is followed by a row
        /// of its request.
        func auditRows() throws -> [AuditRecord] {
            var rows: [AuditRecord] = []
            try audit.store().forEach { rows.append($0) }
            for (index, intent) in rows.enumerated() where intent.entry.outcome == .intent {
                #expect(
                    rows[(index + 1)...].contains { $0.entry.requestID == intent.entry.requestID },
                    "intent \(intent.seq) is never closed")
            }
            return rows.filter { $0.entry.outcome != .intent }
        }

        /// The correlation ids the emulator gave the requests whose "METHOD path" starts with `prefix`.
        func correlationIDs(of prefix: String) async -> [String] {
            await harness.emulator.requests().filter { "\($0.method) \($0.path)".hasPrefix(prefix) }.map(
                \.correlationId)
        }

        func mutations() async -> [String] {
            await harness.requests().filter {
                !$0.hasPrefix("GET") && !$0.hasPrefix("POST /oauth") && !$0.contains("/progress 200")
            }
        }
    }

    static func run(
        configure: @escaping @Sendable (inout EmulatorConfiguration) -> Void = { _ in },
        _ body: @Sendable (Fixture) async throws -> Void
    ) async throws {
        // Campaigns stop at once unless a test says otherwise; the engine's clock never sleeps (options()).
        try await EmulatorHarness.run(configure: {
            $0.stoppingDelay = .zero
            configure(&$0)
        }) { harness in
            let audit = AuditLog(
                path: FileManager.default.temporaryDirectory.appending(path: "engine-\(UUID())/audit.sqlite").path)
            let engine = TransitionEngine(
                client: harness.client, audit: audit, notifier: nil,
                actor: AuditActor(profile: "test", clientID: "client", osUser: "tester", host: "host"), session: "s"
            )
            try await body(Fixture(harness: harness, audit: audit, engine: engine))
        }
    }

    static func options(_ configure: (inout TransitionOptions) -> Void = { _ in }) -> TransitionOptions {
        var options = TransitionOptions()
        options.pollInterval = .milliseconds(50)
        options.timeout = .seconds(10)
        options.command = "test"
        options.clock = .immediate()
        configure(&options)
        return options
    }

    static let draft = EmulatorHarness.demoCampaignID("Q4_Renewals")
    static let active = EmulatorHarness.demoCampaignID("Q4_Promo_East")
    static let complete = EmulatorHarness.demoCampaignID("Winback_Lapsed")
    static let paused = EmulatorHarness.demoCampaignID("Collections_60day")
    static let invalid = EmulatorHarness.demoCampaignID("Survey_CSAT_Nov")

    @Test func activateAndPauseReachTheirStatesAndAuditOnce() async throws {
        try await Self.run { fixture in
            let on = try await fixture.engine.perform(
                .activate, on: .campaign(fixture.client.campaign(id: Self.draft)), options: Self.options())
            #expect(on.outcome == .success && on.to == .status(.on))
            let off = try await fixture.engine.perform(
                .pause, on: .campaign(fixture.client.campaign(id: Self.draft)), options: Self.options())
            #expect(off.outcome == .success && off.to == .status(.off) && off.message == nil)
            #expect(try await fixture.client.campaign(id: Self.draft).campaignStatus == .off)
            let rows = try fixture.auditRows()
            #expect(rows.map(\.entry.verb) == ["activate", "pause"])
            #expect(rows.map(\.entry.outcome) == [.success, .success])
            #expect(rows[0].entry.versionBefore == 5 && rows[0].entry.versionAfter == 6)
            // Each row names the response it reports on, as Genesys support would ask for it.
            #expect(rows.map(\.entry.httpStatus) == [200, 204])
            let put = await fixture.correlationIDs(of: "PUT /api/v2/outbound/campaigns/\(Self.draft)")
            let stop = await fixture.correlationIDs(of: "POST /api/v2/outbound/campaigns/\(Self.draft)/stop")
            #expect(rows.map(\.entry.correlationID) == (put + stop).map(Optional.some))
            // On with the version the pre-flight saw; off with a stop, which needs no version.
            #expect(
                await fixture.mutations() == [
                    "PUT /api/v2/outbound/campaigns/\(Self.draft) 200",
                    "POST /api/v2/outbound/campaigns/\(Self.draft)/stop 204",
                ])
            // Draft or paused makes no difference to these verbs, and no webhook is set: no progress read.
            #expect(
                await fixture.harness.requests(matching: "/api/v2/outbound/campaigns/\(Self.draft)/progress").isEmpty)
        }
    }

    @Test func activateViaStartSendsNoBodyAndNoVersion() async throws {
        try await Self.run { fixture in
            let result = try await fixture.engine.perform(
                .activate, on: .campaign(fixture.client.campaign(id: Self.draft)),
                options: Self.options { $0.viaStart = true })
            #expect(result.outcome == .success && result.to == .status(.on), "\(result.message ?? "")")
            #expect(await fixture.mutations() == ["POST /api/v2/outbound/campaigns/\(Self.draft)/start 204"])
        }
    }

    @Test func aRunningCampaignWithErrorsIsStopped() async throws {
        try await Self.run { fixture in
            try await fixture.harness.control(
                "POST", "/campaigns/\(Self.active)/state",
                #"{"errors":[{"error":"Contact list not found","details":"contactList.notFound"}]}"#
            )
            let campaign = try await fixture.client.campaign(id: Self.active)
            #expect(try await fixture.engine.lifecycle(of: campaign) == .active)
            let result = try await fixture.engine.perform(.pause, on: .campaign(campaign), options: Self.options())
            #expect(result.outcome == .success && result.to == .status(.off), "\(result.message ?? "")")
            #expect(await fixture.mutations() == ["POST /api/v2/outbound/campaigns/\(Self.active)/stop 204"])
        }
    }

    @Test(arguments: ["Winback_Lapsed", "Survey_CSAT_Nov", "Appointment_Reminders"])
    func pausingACampaignThatIsNotDialingIsANoopThatSaysWhy(name: String) async throws {
        try await Self.run { fixture in
            let campaign = try await fixture.client.campaign(id: EmulatorHarness.demoCampaignID(name))
            let result = try await fixture.engine.perform(.pause, on: .campaign(campaign), options: Self.options())
            #expect(result.outcome == .noop && !result.failed && !result.timedOut)
            if campaign.campaignStatus != .forcedOff { #expect(result.message?.contains("not dialing") == true) }
            #expect(await fixture.mutations().isEmpty)
        }
    }

    @Test func aPauseWhoseWaitRunsOutIsATimedOutWait() async throws {
        try await Self.run(configure: { $0.stoppingDelay = .seconds(60) }) { fixture in
            let result = try await fixture.engine.perform(
                .pause, on: .campaign(fixture.client.campaign(id: Self.active)),
                options: Self.options { $0.timeout = .milliseconds(200) }
            )
            #expect(result.outcome == .success && result.timedOut && !result.failed)
            #expect(result.message?.contains("still stopping") == true)
        }
    }

    @Test func activatingACampaignWithErrorsIsRefusedNamingThem() async throws {
        try await Self.run { fixture in
            let campaign = try await fixture.client.campaign(id: Self.invalid)
            let result = try await fixture.engine.perform(.activate, on: .campaign(campaign), options: Self.options())
            #expect(result.outcome == .refused)
            #expect(result.message?.contains("Contact list not found") == true, "\(result.message ?? "")")
            #expect(await fixture.mutations().isEmpty)
        }
    }

    @Test func aPreflightCheckWhoseDataCannotBeReadIsUnknownAndRefusesUnlessOverridden() async throws {
        try await Self.run { fixture in
            try await fixture.harness.control(
                "POST", "/faults", #"{"status":403,"count":1,"path":"/api/v2/routing/queues/"}"#)
            let refused = try await fixture.engine.perform(
                .activate, on: .campaign(fixture.client.campaign(id: Self.draft)), options: Self.options())
            #expect(refused.outcome == .refused)
            #expect(refused.checks.first { $0.name == .agents }?.state == .unknown)
            #expect(refused.message?.contains("agents unknown") == true, "\(refused.message ?? "")")
            try await fixture.harness.control(
                "POST", "/faults", #"{"status":403,"count":1,"path":"/api/v2/routing/queues/"}"#)
            let overridden = try await fixture.engine.perform(
                .activate, on: .campaign(fixture.client.campaign(id: Self.draft)),
                options: Self.options {
                    $0.overrides = [.agents]
                    $0.reason = "the roster API is down"
                }
            )
            #expect(overridden.outcome == .success)
            #expect(try fixture.auditRows().last?.entry.overrideChecks == "agents")
        }
    }

    @Test func alreadyThereIsANoopWithoutAPut() async throws {
        try await Self.run { fixture in
            let result = try await fixture.engine.perform(
                .activate, on: .campaign(fixture.client.campaign(id: Self.active)), options: Self.options())
            #expect(result.outcome == .noop)
            #expect(await fixture.mutations().isEmpty)
            #expect(try fixture.auditRows().map(\.entry.outcome) == [.noop])
        }
    }

    @Test(arguments: [
        (Verb.activate, "Survey_CSAT_Nov"), (.recycle, "Q4_Promo_East"),
    ])
    func refusedVerbsSendNothingAndSayWhy(verb: Verb, name: String) async throws {
        try await Self.run { fixture in
            let campaign = try await fixture.client.campaign(id: EmulatorHarness.demoCampaignID(name))
            let result =
                verb == .recycle
                ? try await fixture.engine.perform(.recycle, on: .campaign(campaign), options: Self.options())
                : try await fixture.engine.perform(verb, on: .campaign(campaign), options: Self.options())
            #expect(result.outcome == .refused)
            #expect(
                result.message?.contains("cannot \(verb.rawValue)") == true
                    || result.message?.contains("pre-flight") == true)
            #expect(await fixture.mutations().isEmpty)
            #expect(try fixture.auditRows().map(\.entry.outcome) == [.refused])
        }
    }

    @Test func aConcurrentEditIsRetriedAndConverges() async throws {
        try await Self.run { fixture in
            try await fixture.harness.control("POST", "/campaigns/\(Self.draft)/bump", #"{"beforeNextPuts":1}"#)
            let result = try await fixture.engine.perform(
                .activate, on: .campaign(fixture.client.campaign(id: Self.draft)), options: Self.options())
            #expect(result.outcome == .success)
            #expect(result.attempts == 2)
            #expect(try fixture.auditRows().map(\.entry.outcome) == [.conflictRetry, .success])
            #expect(try await fixture.client.campaign(id: Self.draft).campaignStatus == .on)
        }
    }

    @Test func conflictsBeyondTheBoundFailCleanly() async throws {
        try await Self.run { fixture in
            try await fixture.harness.control("POST", "/campaigns/\(Self.draft)/bump", #"{"beforeNextPuts":10}"#)
            let result = try await fixture.engine.perform(
                .activate, on: .campaign(fixture.client.campaign(id: Self.draft)),
                options: Self.options { $0.maxConflicts = 3 }
            )
            #expect(result.outcome == .error)
            #expect(result.message?.contains("version conflict persisted after 3 retries") == true)
            #expect(
                try fixture.auditRows().map(\.entry.outcome) == [
                    .conflictRetry, .conflictRetry, .conflictRetry, .error,
                ])
            #expect(await fixture.mutations().filter { $0.hasPrefix("PUT") }.count == 4)
            #expect(try await fixture.client.campaign(id: Self.draft).campaignStatus == .off)
        }
    }

    @Test func dryRunSendsNoMutation() async throws {
        try await Self.run { fixture in
            let options = Self.options { $0.dryRun = true }
            let activate = try await fixture.engine.perform(
                .activate, on: .campaign(fixture.client.campaign(id: Self.draft)), options: options)
            let pause = try await fixture.engine.perform(
                .pause, on: .campaign(fixture.client.campaign(id: Self.active)), options: options)
            let archive = try await fixture.engine.perform(
                .archive, on: .campaign(fixture.client.campaign(id: Self.paused)), options: options)
            let recycle = try await fixture.engine.perform(
                .recycle, on: .campaign(fixture.client.campaign(id: Self.complete)), options: options)
            #expect([activate, pause, archive, recycle].map(\.outcome) == [.dryRun, .dryRun, .dryRun, .dryRun])
            #expect(activate.plan.last?.contains("with version 5: campaignStatus off → on") == true)
            #expect(await fixture.mutations().isEmpty)
            #expect(try fixture.auditRows().map(\.entry.outcome) == [.dryRun, .dryRun, .dryRun, .dryRun])
        }
    }

    @Test func failedPreflightRefusesUnlessOverriddenWithAReason() async throws {
        try await Self.run { fixture in
            let retention = EmulatorHarness.demoCampaignID("Retention_Save")  // its queue has no idle agent
            let refused = try await fixture.engine.perform(
                .activate, on: .campaign(fixture.client.campaign(id: retention)), options: Self.options())
            #expect(refused.outcome == .refused)
            #expect(refused.checks.first { $0.name == .agents }?.state == .fail)
            let overridden = try await fixture.engine.perform(
                .activate, on: .campaign(fixture.client.campaign(id: retention)),
                options: Self.options {
                    $0.overrides = [.agents]
                    $0.reason = "agents log in at 9"
                }
            )
            #expect(overridden.outcome == .success)
            let row = try fixture.auditRows().last
            #expect(row?.entry.overrideChecks == "agents")
            #expect(row?.entry.overrideReason == "agents log in at 9")
        }
    }

    @Test func recycleResetsProgressAndArchiveRestoreRoundTrips() async throws {
        try await Self.run(configure: { $0.stoppingDelay = .zero }) { fixture in
            let recycled = try await fixture.engine.perform(
                .recycle, on: .campaign(fixture.client.campaign(id: Self.complete)), options: Self.options())
            #expect(recycled.outcome == .success)
            #expect(try await fixture.client.progress(ofCampaign: Self.complete).numberOfContactsCalled == 0)

            let original = try await fixture.client.campaign(id: Self.active)
            let archived = try await fixture.engine.perform(.archive, on: .campaign(original), options: Self.options())
            #expect(archived.outcome == .success && archived.to == .archived)
            let gone = try await #require(throws: GenesysError.self) {
                try await fixture.client.campaign(id: Self.active)
            }
            #expect(gone.status == 404)

            let entry = try #require(try fixture.audit.store().archives().first)
            let restored = try await fixture.engine.perform(.restore, on: .archived(entry), options: Self.options())
            #expect(restored.outcome == .success)
            let copy = try await fixture.client.campaign(id: restored.campaignID)
            #expect(copy.id != Self.active && copy.campaignStatus == .off)
            // Every writable field comes back as it was.
            var expected = original.document
            var actual = copy.document
            for readOnly in ["id", "version", "dateCreated", "dateModified", "selfUri", "errors", "campaignStatus"] {
                expected[readOnly] = nil
                actual[readOnly] = nil
            }
            #expect(actual == expected)
            #expect(try fixture.audit.store().archives().first?.restoredAs == restored.campaignID)
            let rows = try fixture.auditRows()
            // The stop and the delete of an archive are both the operator's archive.
            #expect(rows.map(\.entry.verb).suffix(3) == ["archive", "archive", "restore"])
            let recycleRow = try #require(rows.first { $0.entry.verb == "recycle" })
            let archiveRow = try #require(rows.last { $0.entry.verb == "archive" })
            let restoreRow = try #require(rows.last)
            #expect(
                recycleRow.entry.correlationID
                    == (await fixture.correlationIDs(of: "DELETE /api/v2/outbound/campaigns/\(Self.complete)/progress"))
                    .first)
            #expect(
                archiveRow.entry.correlationID
                    == (await fixture.correlationIDs(of: "DELETE /api/v2/outbound/campaigns/\(Self.active)")).first)
            #expect(
                restoreRow.entry.correlationID
                    == (await fixture.correlationIDs(of: "POST /api/v2/outbound/campaigns")).last)
            #expect(
                [recycleRow, archiveRow, restoreRow].allSatisfy {
                    $0.entry.correlationID != nil && $0.entry.httpStatus != nil
                })
        }
    }
}

/// Every verb from every lifecycle state a campaign can be put in, against the live emulator.
@Suite struct TransitionMatrixTests {
    /// How to put Q4_Renewals (Sales queue, 6 idle agents) into a lifecycle state.
    static let states: [Lifecycle: String] = [
        .draft: #"{"campaignStatus":"off","contactsCalled":0}"#,
        .paused: #"{"campaignStatus":"off","contactsCalled":40}"#,
        .active: #"{"campaignStatus":"on","contactsCalled":40}"#,
        .complete: #"{"campaignStatus":"complete","contactsCalled":6400}"#,
        .invalid: #"{"campaignStatus":"invalid"}"#,
    ]

    static let cases: [(Verb, Lifecycle)] = [Verb.activate, .pause, .archive, .recycle].flatMap { verb in
        [Lifecycle.draft, .paused, .active, .complete, .invalid].map { (verb, $0) }
    }

    @Test(arguments: cases)
    func verbFromState(verb: Verb, state: Lifecycle) async throws {
        try await TransitionEngineTests.run(configure: { $0.stoppingDelay = .zero }) { fixture in
            let id = TransitionEngineTests.draft
            try await fixture.harness.control("POST", "/campaigns/\(id)/state", Self.states[state]!)
            let campaign = try await fixture.client.campaign(id: id)
            #expect(try await fixture.engine.lifecycle(of: campaign) == state)
            let options = TransitionEngineTests.options()
            let result: TransitionResult =
                switch verb {
                case .archive: try await fixture.engine.perform(.archive, on: .campaign(campaign), options: options)
                case .recycle: try await fixture.engine.perform(.recycle, on: .campaign(campaign), options: options)
                default: try await fixture.engine.perform(verb, on: .campaign(campaign), options: options)
                }
            let decision = LifecyclePolicy.decide(verb, from: state)
            switch decision {
            case .refuse:
                #expect(result.outcome == .refused)
                #expect(await fixture.mutations().isEmpty)
            case .noop:
                #expect(result.outcome == .noop)
                #expect(await fixture.mutations().isEmpty)
            default:
                #expect(result.outcome == .success, "\(verb) from \(state): \(result.message ?? "")")
            }
            let rows = try fixture.auditRows()
            #expect(rows.last?.entry.outcome == result.outcome)
            #expect(rows.last?.entry.verb == verb.rawValue)
            if result.outcome == .success {
                let after: String? =
                    verb == .archive ? nil : try await fixture.client.campaign(id: id).campaignStatus?.rawValue
                switch verb {
                case .activate: #expect(after == "on")
                case .pause: #expect(after.map { CampaignStatus(rawValue: $0).isSettledOff } == true)
                case .recycle:
                    let called = try await fixture.client.progress(ofCampaign: id).numberOfContactsCalled
                    #expect(after == "off" && called == 0)
                case .archive: #expect(try fixture.audit.store().archives().count == 1)
                case .restore: break
                }
            }
        }
    }

    @Test func aPausingCampaignIsWaitedForNotPushed() async throws {
        try await TransitionEngineTests.run(configure: { $0.stoppingDelay = .seconds(60) }) { fixture in
            let id = TransitionEngineTests.draft
            try await fixture.harness.control(
                "POST", "/campaigns/\(id)/state", #"{"campaignStatus":"stopping","contactsCalled":40}"#)
            let campaign = try await fixture.client.campaign(id: id)
            #expect(try await fixture.engine.lifecycle(of: campaign) == .pausing)
            let options = TransitionEngineTests.options { $0.wait = false }
            #expect(
                try await fixture.engine.perform(.activate, on: .campaign(campaign), options: options).outcome
                    == .refused)
            #expect(
                try await fixture.engine.perform(.pause, on: .campaign(campaign), options: options).outcome == .noop)
            #expect(
                try await fixture.engine.perform(.recycle, on: .campaign(campaign), options: options).outcome
                    == .refused)
            let archive = try await fixture.engine.perform(
                .archive, on: .campaign(campaign),
                options: TransitionEngineTests.options { $0.timeout = .milliseconds(200) })
            #expect(archive.outcome == .error)
            #expect(archive.message?.contains("still stopping") == true)
            #expect(await fixture.mutations().isEmpty)
        }
    }
}
