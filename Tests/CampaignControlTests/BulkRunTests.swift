import AuditStore
import CampaignControl
import Foundation
import GenesysCloud
import GenesysEmulator
import GenesysTestSupport
import Testing

/// Bulk runs against the live emulator: faults, request counts, one audit row per attempt.
@Suite struct BulkRunTests {
    static func fixture(_ harness: EmulatorHarness) -> (TransitionEngine, AuditLog) {
        let audit = AuditLog(
            path: FileManager.default.temporaryDirectory.appending(path: "bulk-\(UUID())/audit.sqlite").path)
        let engine = TransitionEngine(
            client: harness.client, audit: audit, notifier: nil,
            actor: AuditActor(profile: "test", clientID: "client", osUser: "tester", host: "host"), session: "s"
        )
        return (engine, audit)
    }

    static var options: TransitionOptions {
        var options = TransitionOptions()
        options.pollInterval = .milliseconds(100)
        options.timeout = .seconds(20)
        options.command = "pause --all --name Bulk_"
        return options
    }

    @Test func aBulkPauseThroughRateLimitsAndOutagesEndsWithEveryCampaignOff() async throws {
        try await EmulatorHarness.run(configure: {
            $0.seed = EmulatorSeed.bulk(60, like: "Q4_Promo_East")
            $0.stoppingDelay = .milliseconds(300)
        }) { harness in
            let (engine, audit) = Self.fixture(harness)
            let campaigns = try await harness.client.campaigns(CampaignQuery(name: "Bulk_"))
            #expect(campaigns.count == 60)
            try await harness.control(
                "POST", "/faults", #"{"status":429,"count":5,"retryAfter":1,"path":"/api/v2/outbound/campaigns/"}"#)
            try await harness.control(
                "POST", "/faults", #"{"status":503,"count":5,"path":"/api/v2/outbound/campaigns/"}"#)
            let results = try await BulkRun(engine: engine, parallel: 4, rateLimit: nil).run(
                .pause, campaigns.map(TransitionSubject.campaign), options: Self.options)
            #expect(results.count == 60)
            #expect(results.allSatisfy { $0.outcome == .success && $0.to == .status(.off) && !$0.failed })
            let statuses = try await harness.client.campaigns(CampaignQuery(name: "Bulk_")).map(\.campaignStatus)
            #expect(statuses.allSatisfy { $0 == .off })
            var all: [AuditRecord] = []
            try audit.store().forEach { all.append($0) }
            // Each stop's intent first, then what came of it (through the 503s, retried rows too).
            let rows = all.filter { $0.entry.outcome != .intent && $0.entry.outcome != .retried }
            let intents = all.filter { $0.entry.outcome == .intent }
            #expect(
                intents.count == 60
                    && Set(intents.compactMap(\.entry.requestID)) == Set(rows.compactMap(\.entry.requestID)))
            #expect(rows.count == 60)
            #expect(rows.allSatisfy { $0.entry.outcome == .success && $0.entry.verb == "pause" })
            #expect(Set(rows.compactMap(\.entry.campaignID)).count == 60)
            let stops = await harness.requests().filter { $0.hasPrefix("POST") && $0.contains("/stop ") }
            #expect(stops.filter { $0.hasSuffix(" 204") }.count == 60)  // each campaign stopped exactly once
            #expect(await harness.requests().filter { $0.hasPrefix("PUT") }.isEmpty)
        }
    }

    @Test func aBulkPauseWithWaitingCostsLittleMoreThanOneRequestPerCampaign() async throws {
        try await EmulatorHarness.run(configure: {
            $0.seed = EmulatorSeed.bulk(50, like: "Q4_Promo_East")
            $0.stoppingDelay = .seconds(2)
        }) { harness in
            let (engine, _) = Self.fixture(harness)
            let campaigns = try await harness.client.campaigns(CampaignQuery(name: "Bulk_"))
            // Polls at half the stopping time, as the default second does against Genesys's stops of seconds
            // (at 250 ms of 500, a busy machine's slow stops cost extra polls).
            var options = Self.options
            options.pollInterval = .seconds(1)
            let results = try await BulkRun(engine: engine, parallel: 4, rateLimit: nil).run(
                .pause, campaigns.map(TransitionSubject.campaign), options: options)
            #expect(results.allSatisfy { $0.to == .status(.off) })
            let apiRequests = await harness.requests(matching: "/api/v2")
            // One stop per campaign, and polls that are listings for all of them, never a read per campaign:
            // so the cost per campaign stays near one request however long the stops take (how many polls
            // a loaded machine needs is timing; `scripts/bench` measures the ratio, 1.1 at most).
            #expect(apiRequests.filter { $0.hasPrefix("POST") && $0.contains("/stop ") }.count == 50)
            let perCampaignReads = apiRequests.filter { $0.hasPrefix("GET /api/v2/outbound/campaigns/") }
            #expect(perCampaignReads.isEmpty, "\(perCampaignReads.prefix(5))")
        }
    }

    /// A bulk activation's pre-flight reads are shared: the contact lists in one listing, the DNC list's
    /// import and the sequences once, the idle agents once per queue: a GET and a PUT per campaign, and a
    /// few requests for all of them (the budget: 2 each and 7 per run, the selection's listing included).
    @Test func aBulkActivationReadsItsListsOnceForAll() async throws {
        try await EmulatorHarness.run(configure: { $0.seed = EmulatorSeed.bulk(48, like: "Q4_Renewals") }) { harness in
            let (engine, _) = Self.fixture(harness)
            let campaigns = try await harness.client.campaigns(CampaignQuery(name: "Bulk_"))
            let before = await harness.requests(matching: "/api/v2").count
            let results = try await BulkRun(engine: engine, parallel: 4, rateLimit: nil).run(
                .activate, campaigns.map(TransitionSubject.campaign), options: Self.options)
            #expect(results.allSatisfy { $0.outcome == .success }, "\(results.compactMap(\.message))")
            let requests = await harness.requests(matching: "/api/v2").dropFirst(before)
            #expect(requests.filter { $0.contains("/contactlists") }.count == 1, "\(requests)")
            #expect(requests.filter { $0.contains("/sequences") }.count == 1)
            #expect(requests.filter { $0.contains("/dnclists") }.count <= 1)
            #expect(requests.count <= 2 * 48 + 6, "\(requests.count) requests for 48 campaigns")
        }
    }

    @Test func anEmergencyStopOfFiftyWhileOthersEditThemMakesNoConflictRetry() async throws {
        try await EmulatorHarness.run(configure: {
            $0.seed = EmulatorSeed.bulk(50, like: "Q4_Promo_East")
            $0.stoppingDelay = .milliseconds(200)
        }) { harness in
            let (engine, audit) = Self.fixture(harness)
            let campaigns = try await harness.client.campaigns(CampaignQuery(name: "Bulk_"))
            for campaign in campaigns {
                try await harness.control("POST", "/campaigns/\(campaign.id!)/bump")
                try await harness.control("POST", "/campaigns/\(campaign.id!)/bump", #"{"beforeNextPuts":5}"#)
            }
            let results = try await BulkRun(engine: engine, parallel: 4, rateLimit: nil).run(
                .pause, campaigns.map(TransitionSubject.campaign), options: Self.options)
            #expect(results.allSatisfy { $0.outcome == .success && $0.to == .status(.off) })
            var outcomes: [AuditOutcome] = []
            try audit.store().forEach { outcomes.append($0.entry.outcome) }
            #expect(outcomes.filter { $0 != .intent } == Array(repeating: .success, count: 50))
            #expect(outcomes.filter { $0 == .intent }.count == 50)
            #expect(await harness.requests().filter { $0.hasPrefix("PUT") }.isEmpty)
        }
    }

    @Test func aBulkPauseOfCampaignsThatAreNotAllDialingSucceeds() async throws {
        try await EmulatorHarness.run(configure: { $0.stoppingDelay = .milliseconds(100) }) { harness in
            let (engine, _) = Self.fixture(harness)
            let campaigns = try await harness.client.campaigns()
            let results = try await BulkRun(engine: engine, parallel: 4, rateLimit: nil).run(
                .pause, campaigns.map(TransitionSubject.campaign), options: Self.options)
            #expect(results.count == 14)
            #expect(
                results.allSatisfy { !$0.failed && !$0.timedOut },
                "\(results.filter(\.failed).map { $0.message ?? "" })")
            let statuses = try await harness.client.campaigns().compactMap(\.campaignStatus)
            #expect(statuses.allSatisfy { $0.isSettledOff }, "\(statuses)")
        }
    }

    @Test func oneFailureDoesNotStopTheOthers() async throws {
        try await EmulatorHarness.run(configure: {
            $0.seed = EmulatorSeed.bulk(6, like: "Q4_Renewals")
            $0.stoppingDelay = .zero
        }) { harness in
            let (engine, audit) = Self.fixture(harness)
            let campaigns = try await harness.client.campaigns(CampaignQuery(name: "Bulk_"))
            try await harness.control("POST", "/campaigns/\(campaigns[2].id!)/bump", #"{"beforeNextPuts":10}"#)
            var options = Self.options
            options.maxConflicts = 1
            let results = try await BulkRun(engine: engine, parallel: 2, rateLimit: nil).run(
                .activate, campaigns.map(TransitionSubject.campaign), options: options)
            #expect(results.filter(\.failed).map(\.campaignName) == ["Bulk_003"])
            #expect(results.filter { !$0.failed }.count == 5)
            var outcomes: [AuditOutcome] = []
            try audit.store().forEach { outcomes.append($0.entry.outcome) }
            #expect(outcomes.filter { $0 == .success }.count == 5)
            #expect(outcomes.filter { $0 == .conflictRetry }.count == 1)
            #expect(outcomes.filter { $0 == .error }.count == 1)
        }
    }
}
