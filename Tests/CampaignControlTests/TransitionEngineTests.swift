import AuditStore
import CampaignControl
import Foundation
import GenesysCloud
import GenesysEmulator
import GenesysTestSupport
import Testing

/// The transition engine against the live emulator, with a real audit database.
@Suite struct TransitionEngineTests {
    struct Fixture: Sendable {
        let harness: EmulatorHarness
        let audit: AuditLog
        let engine: TransitionEngine

        var client: GenesysClient { harness.client }

        func auditRows() throws -> [AuditRecord] {
            var rows: [AuditRecord] = []
            try audit.store().forEach { rows.append($0) }
            return rows
        }

        func mutations() async -> [String] {
            await harness.requests().filter { !$0.hasPrefix("GET") && !$0.hasPrefix("POST /oauth") && !$0.contains("/progress 200") }
        }
    }

    static func run(
        configure: @escaping @Sendable (inout EmulatorConfiguration) -> Void = { _ in }, _ body: @Sendable (Fixture) async throws -> Void
    ) async throws {
        try await EmulatorHarness.run(configure: { configure(&$0) }) { harness in
            let audit = AuditLog(path: FileManager.default.temporaryDirectory.appending(path: "engine-\(UUID())/audit.sqlite").path)
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
            let on = try await fixture.engine.run(.activate, on: fixture.client.campaign(id: Self.draft), options: Self.options())
            #expect(on.outcome == .success && on.toStatus == "on")
            let off = try await fixture.engine.run(.pause, on: fixture.client.campaign(id: Self.draft), options: Self.options())
            #expect(off.outcome == .success && off.toStatus == "off" && off.message == nil)
            #expect(try await fixture.client.campaign(id: Self.draft).campaignStatus == .off)
            let rows = try fixture.auditRows()
            #expect(rows.map(\.entry.verb) == ["activate", "pause"])
            #expect(rows.map(\.entry.outcome) == [.success, .success])
            #expect(rows[0].entry.versionBefore == 5 && rows[0].entry.versionAfter == 6)
            #expect(await fixture.mutations().filter { $0.hasPrefix("PUT") }.count == 2)
        }
    }

    @Test func alreadyThereIsANoopWithoutAPut() async throws {
        try await Self.run { fixture in
            let result = try await fixture.engine.run(.activate, on: fixture.client.campaign(id: Self.active), options: Self.options())
            #expect(result.outcome == .noop)
            #expect(await fixture.mutations().isEmpty)
            #expect(try fixture.auditRows().map(\.entry.outcome) == [.noop])
        }
    }

    @Test(arguments: [
        (Verb.pause, "Winback_Lapsed"), (.activate, "Survey_CSAT_Nov"), (.recycle, "Q4_Promo_East"), (.pause, "Survey_CSAT_Nov"),
    ])
    func refusedVerbsSendNothingAndSayWhy(verb: Verb, name: String) async throws {
        try await Self.run { fixture in
            let campaign = try await fixture.client.campaign(id: EmulatorHarness.demoCampaignID(name))
            let result = verb == .recycle
                ? try await fixture.engine.recycle(campaign, options: Self.options())
                : try await fixture.engine.run(verb, on: campaign, options: Self.options())
            #expect(result.outcome == .refused)
            #expect(result.message?.contains("cannot \(verb.rawValue)") == true || result.message?.contains("pre-flight") == true)
            #expect(await fixture.mutations().isEmpty)
            #expect(try fixture.auditRows().map(\.entry.outcome) == [.refused])
        }
    }

    @Test func aConcurrentEditIsRetriedAndConverges() async throws {
        try await Self.run { fixture in
            try await fixture.harness.control("POST", "/campaigns/\(Self.draft)/bump", #"{"beforeNextPuts":1}"#)
            let result = try await fixture.engine.run(.activate, on: fixture.client.campaign(id: Self.draft), options: Self.options())
            #expect(result.outcome == .success)
            #expect(result.attempts == 2)
            #expect(try fixture.auditRows().map(\.entry.outcome) == [.conflictRetry, .success])
            #expect(try await fixture.client.campaign(id: Self.draft).campaignStatus == .on)
        }
    }

    @Test func conflictsBeyondTheBoundFailCleanly() async throws {
        try await Self.run { fixture in
            try await fixture.harness.control("POST", "/campaigns/\(Self.draft)/bump", #"{"beforeNextPuts":10}"#)
            let result = try await fixture.engine.run(
                .activate, on: fixture.client.campaign(id: Self.draft), options: Self.options { $0.maxConflicts = 3 }
            )
            #expect(result.outcome == .error)
            #expect(result.message?.contains("version conflict persisted after 3 retries") == true)
            #expect(try fixture.auditRows().map(\.entry.outcome) == [.conflictRetry, .conflictRetry, .conflictRetry, .error])
            #expect(await fixture.mutations().filter { $0.hasPrefix("PUT") } .count == 4)
            #expect(try await fixture.client.campaign(id: Self.draft).campaignStatus == .off)
        }
    }

    @Test func dryRunSendsNoMutation() async throws {
        try await Self.run { fixture in
            let options = Self.options { $0.dryRun = true }
            let activate = try await fixture.engine.run(.activate, on: fixture.client.campaign(id: Self.draft), options: options)
            let pause = try await fixture.engine.run(.pause, on: fixture.client.campaign(id: Self.active), options: options)
            let archive = try await fixture.engine.archive(fixture.client.campaign(id: Self.paused), options: options)
            let recycle = try await fixture.engine.recycle(fixture.client.campaign(id: Self.complete), options: options)
            #expect([activate, pause, archive, recycle].map(\.outcome) == [.dryRun, .dryRun, .dryRun, .dryRun])
            #expect(activate.plan.last?.contains("with version 5: campaignStatus off → on") == true)
            #expect(await fixture.mutations().isEmpty)
            #expect(try fixture.auditRows().map(\.entry.outcome) == [.dryRun, .dryRun, .dryRun, .dryRun])
        }
    }

    @Test func failedPreflightRefusesUnlessOverriddenWithAReason() async throws {
        try await Self.run { fixture in
            let retention = EmulatorHarness.demoCampaignID("Retention_Save")  // its queue has no idle agent
            let refused = try await fixture.engine.run(.activate, on: fixture.client.campaign(id: retention), options: Self.options())
            #expect(refused.outcome == .refused)
            #expect(refused.checks.first { $0.name == .agents }?.passed == false)
            let overridden = try await fixture.engine.run(
                .activate, on: fixture.client.campaign(id: retention),
                options: Self.options { $0.overrides = [.agents]; $0.reason = "agents log in at 9" }
            )
            #expect(overridden.outcome == .success)
            let row = try fixture.auditRows().last
            #expect(row?.entry.overrideChecks == "agents")
            #expect(row?.entry.overrideReason == "agents log in at 9")
        }
    }

    @Test func recycleResetsProgressAndArchiveRestoreRoundTrips() async throws {
        try await Self.run(configure: { $0.stoppingDelay = .milliseconds(100) }) { fixture in
            let recycled = try await fixture.engine.recycle(fixture.client.campaign(id: Self.complete), options: Self.options())
            #expect(recycled.outcome == .success)
            #expect(try await fixture.client.progress(ofCampaign: Self.complete).numberOfContactsCalled == 0)

            let original = try await fixture.client.campaign(id: Self.active)
            let archived = try await fixture.engine.archive(original, options: Self.options())
            #expect(archived.outcome == .success && archived.toStatus == "archived")
            let gone = try await #require(throws: GenesysError.self) { try await fixture.client.campaign(id: Self.active) }
            #expect(gone.status == 404)

            let entry = try #require(try fixture.audit.store().archives().first)
            let restored = try await fixture.engine.restore(entry, options: Self.options())
            #expect(restored.outcome == .success)
            let copy = try await fixture.client.campaign(id: restored.campaignID)
            #expect(copy.id != Self.active && copy.campaignStatus == .off)
            // Every writable field comes back as it was.
            var expected = try original.jsonObject()
            var actual = try copy.jsonObject()
            for readOnly in ["id", "version", "dateCreated", "dateModified", "selfUri", "errors", "campaignStatus"] {
                expected[readOnly] = nil
                actual[readOnly] = nil
            }
            #expect(actual == expected)
            #expect(try fixture.audit.store().archives().first?.restoredAs == restored.campaignID)
            #expect(try fixture.auditRows().map(\.entry.verb).suffix(3) == ["pause", "archive", "restore"])
        }
    }
}
