import Foundation
import GenesysEmulator
import GenesysTestSupport
import JSONDocument
import NIOHTTP1
import Testing

/// What else drives a campaign: schedules, rules, sequences, callable hours and lists. `why` names each
/// reason, `pause` names what will turn a campaign on again, and the emulator's schedules act on time.
@Suite struct DriversTests {
    static func id(_ number: Int) -> String { String(format: "c0ffee01-5eed-4001-8%03x-%012x", number, number) }

    static func iso(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Stores a schedule, rule, sequence, time set or list through the emulator's control API.
    static func put(_ emulator: RunningEmulator, _ kind: String, _ id: String, _ document: String) async throws {
        let answer = try await RawHTTP.send(.PUT, emulator.baseURL + "/emulator/v1/\(kind)/\(id)", body: document)
        #expect(answer.status == 200, "\(kind)/\(id): \(String(decoding: answer.body, as: UTF8.self))")
    }

    /// Changes members of a stored campaign (as another admin would), through the control API.
    static func edit(_ emulator: RunningEmulator, campaign number: Int, _ change: (inout JSONObject) -> Void)
        async throws
    {
        let token = try await RawHTTP.token(
            emulator.baseURL, clientID: "campaignsh-sandbox", clientSecret: "sandbox-secret")
        let read = try await RawHTTP.send(
            .GET, emulator.baseURL + "/api/v2/outbound/campaigns/\(id(number))",
            headers: [("Authorization", "Bearer \(token)")])
        guard var document = read.json.objectValue else { throw TestFailure("campaign \(number) unreadable") }
        change(&document)
        let stored = try await RawHTTP.send(
            .PUT, emulator.baseURL + "/emulator/v1/campaigns/\(id(number))", body: JSONValue.object(document).jsonText)
        #expect(stored.status == 200)
    }

    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// An org where each reason occurs on its own campaign.
    static func seedEveryReason(_ emulator: RunningEmulator) async throws {
        let now = Date()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let tomorrow = (calendar.component(.weekday, from: now) + 5) % 7 + 2  // ISO weekday of tomorrow, 1…7
        let day = tomorrow > 7 ? 1 : tomorrow
        try await put(
            emulator, "callabletimesets", "ct-1",
            #"{"name":"Tomorrow only","callableTimes":[{"timeZoneId":"Europe/Paris","timeSlots":[{"day":\#(day),"startTime":"09:00:00","stopTime":"10:00:00"}]}]}"#
        )
        try await edit(emulator, campaign: 1) { $0["callableTimeSet"] = ["id": "ct-1", "name": "Tomorrow only"] }
        let list = { (number: Int) in String(format: "c0ffee02-5eed-4002-8%03x-%012x", number, number) }
        try await put(
            emulator, "contactlists", list(2),
            #"{"name":"West list","columnNames":["Cell"],"size":900,"importStatus":{"state":"IN_PROGRESS","totalRecords":1000,"completedRecords":400,"percentComplete":40}}"#
        )
        try await put(
            emulator, "contactlists", list(4),
            #"{"name":"30day list","columnNames":["Cell"],"size":10,"importStatus":{"state":"FAILED","totalRecords":1000,"completedRecords":10,"percentComplete":1,"failureReason":"Invalid CSV header"}}"#
        )
        try await put(emulator, "contactlists", list(5), #"{"name":"60day list","columnNames":["Cell"],"size":0}"#)
        try await put(
            emulator, "contactlists", list(12),
            #"{"name":"Réactivation list","columnNames":["Cell"],"size":3300,"dateExpiration":"2026-01-31T00:00:00.000Z"}"#
        )
        try await put(
            emulator, "dnclists", "dnc-holiday",
            #"{"name":"Holiday DNC","dncSourceType":"rds","importStatus":{"state":"FAILED","totalRecords":5,"completedRecords":0,"percentComplete":0,"failureReason":"Bad phone column"}}"#
        )
        try await edit(emulator, campaign: 13) { $0["dncLists"] = [["id": "dnc-holiday", "name": "Holiday DNC"]] }
        try await put(
            emulator, "schedules", id(3),
            #"{"name":"Renewals hours","timeZone":"UTC","campaign":{"id":"\#(id(3))"},"intervals":[{"start":"\#(iso(now.addingTimeInterval(-600)))","end":"\#(iso(now.addingTimeInterval(7200)))"}]}"#
        )
        try await put(
            emulator, "sequences", "seq-1",
            #"{"name":"Reminders then winback","status":"on","currentCampaign":0,"campaigns":[{"id":"\#(id(10))"},{"id":"\#(id(7))"}]}"#
        )
        try await put(
            emulator, "campaignrules", "rule-1",
            #"{"name":"Restart 90day at 50%","enabled":true,"campaignRuleEntities":{"campaigns":[{"id":"\#(id(4))"}]},"campaignRuleConditions":[{"conditionType":"campaignProgress","parameters":{"operator":"greaterThan","value":"50"}}],"campaignRuleActions":[{"actionType":"turnOnCampaign","campaignRuleActionEntities":{"campaigns":[{"id":"\#(id(6))"}],"useTriggeringEntity":false}}]}"#
        )
    }

    /// `why` names each reason in an org where every reason occurs, and `why --all` lists exactly the
    /// campaigns that should be dialing and are not.
    @Test func whyNamesEachReason() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            try await Self.seedEveryReason(emulator)
            let expected: [(String, String, String)] = [
                (
                    "Q4_Promo_East", "callable-hours",
                    "outside its callable hours (Tomorrow only); its next window opens"
                ),
                ("Q4_Promo_West", "list-importing", "contact list 'West list' is still importing (40 %)"),
                ("Collections_30day", "list-import-failed", "failed to import: Invalid CSV header"),
                ("Q4_Renewals", "schedule-open", "its schedule's window is open now"),
                ("Collections_60day", "list-empty", "contact list '60day list' is empty"),
                ("Réactivation_Clients", "list-expired", "expired on 2026-01-31 00:00 UTC"),
                (
                    "Holiday Preview 2026", "dnc-import-failed",
                    "DNC list 'Holiday DNC' failed to import: Bad phone column"
                ),
                (
                    "Appointment_Reminders", "sequence",
                    "the running sequence 'Reminders then winback' owns it (campaign 1 of 2, running now)"
                ),
                ("Leads_Webform", "list-exhausted", "every contact was called (2000 of 2000)"),
                ("Collections_90day", "rule", "the enabled rule 'Restart 90day at 50%' acts on it (turnOnCampaign)"),
                ("Retention_Save", "no-agents", "no idle agents on queue 'Retention'"),
                ("Survey_CSAT_Nov", "errors", "Contact list not found"),
            ]
            for (campaign, code, text) in expected {
                let result = try await ShellProcess.run(["-c", "why '\(campaign)' --format json"], home: home)
                #expect(result.status == 0, "\(campaign): \(result.stderr)")
                let reasons = (try? JSONValue(parsing: Data(result.stdout.utf8)))?["reasons"]?.arrayValue ?? []
                let found = reasons.first { $0["code"]?.stringValue == code }
                #expect(found?["text"]?.stringValue?.contains(text) == true, "\(campaign) \(code): \(result.stdout)")
            }
            let human = try await ShellProcess.run(["-c", "why Q4_Promo_West"], home: home)
            #expect(
                human.stdout.hasPrefix(
                    "Q4_Promo_West is not dialing:\n  - contact list 'West list' is still importing"), "\(human.stdout)"
            )
            // The schedule turned Q4_Renewals on when its window opened; paused inside the window, it should
            // be dialing and is not.
            let paused = try await ShellProcess.run(["-c", "pause Q4_Renewals"], home: home)
            #expect(paused.stderr.contains("its schedule's window is open until"), "\(paused.stderr)")
            let all = try await ShellProcess.run(
                ["-c", "why --all --format csv --no-headers --columns campaign"], home: home)
            let listed = all.stdout.split(whereSeparator: \.isNewline).map(String.init).sorted()
            #expect(
                listed == ["Collections_30day", "Q4_Promo_East", "Q4_Promo_West", "Q4_Renewals"],
                "\(all.stdout)\(all.stderr)")
        }
    }

    /// Who changed the status: the platform audit (the OAuth client, or Genesys itself for a schedule) and
    /// this audit's row.
    @Test func whyShowsWhoChangedTheStatus() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let paused = try await ShellProcess.run(["-c", "pause Q4_Promo_East"], home: home)
            #expect(paused.status == 0, "\(paused.stderr)")
            let why = try await ShellProcess.run(["-c", "why Q4_Promo_East"], home: home)
            #expect(why.stdout.contains("on → stopping  by OAuth client campaignsh-sandbox [USER]"), "\(why.stdout)")
            #expect(why.stdout.contains("by campaignsh pause ("), "\(why.stdout)")
        }
    }

    /// A pause names the schedule and the rule that will turn the campaign on again; the emulator's
    /// schedule does so when its window starts (emulator time moved on, not waited for).
    @Test func aPauseNamesWhatTurnsTheCampaignOnAgain() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let now = Date()
            try await Self.put(
                emulator, "schedules", Self.id(1),
                #"{"name":"East hours","timeZone":"UTC","campaign":{"id":"\#(Self.id(1))"},"intervals":[{"start":"\#(Self.iso(now.addingTimeInterval(3600)))","end":"\#(Self.iso(now.addingTimeInterval(7200)))"}]}"#
            )
            try await Self.put(
                emulator, "campaignrules", "rule-east",
                #"{"name":"East back on","enabled":true,"campaignRuleEntities":{"campaigns":[{"id":"\#(Self.id(2))"}]},"campaignRuleActions":[{"actionType":"turnOnCampaign","campaignRuleActionEntities":{"campaigns":[{"id":"\#(Self.id(1))"}]}}]}"#
            )
            let paused = try await ShellProcess.run(["-c", "pause Q4_Promo_East"], home: home)
            #expect(paused.status == 0, "\(paused.stderr)")
            #expect(paused.stderr.contains("warning: Q4_Promo_East: its schedule turns it on at "), "\(paused.stderr)")
            #expect(
                paused.stderr.contains("warning: Q4_Promo_East: the enabled rule 'East back on' turns it on"),
                "\(paused.stderr)")
            _ = try await RawHTTP.send(
                .POST, emulator.baseURL + "/emulator/v1/clock", body: #"{"advanceSeconds":3660}"#)
            let shown = try await ShellProcess.run(["-c", "why Q4_Promo_East --format json"], home: home)
            let json = try JSONValue(parsing: Data(shown.stdout.utf8))
            #expect(json["status"]?.stringValue == "on", "\(shown.stdout)")
            #expect(json["statusChanges"]?.arrayValue?.first?["level"]?.stringValue == "SYSTEM", "\(shown.stdout)")
        }
    }

    /// The emulator's rule fires when a triggering campaign's progress crosses its line: here it turns a
    /// paused campaign back on, as `pause` warned.
    @Test func aRuleFiresWhenProgressCrossesItsLine() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            try await Self.put(
                emulator, "campaignrules", "rule-west",
                #"{"name":"West at half","enabled":true,"campaignRuleEntities":{"campaigns":[{"id":"\#(Self.id(2))"}]},"campaignRuleConditions":[{"conditionType":"campaignProgress","parameters":{"operator":"greaterThanEqualTo","value":"50"}}],"campaignRuleActions":[{"actionType":"turnOnCampaign","campaignRuleActionEntities":{"campaigns":[{"id":"\#(Self.id(3))"}]}}]}"#
            )
            let before = try await ShellProcess.run(["-c", "why Q4_Renewals --format json"], home: home)
            #expect(try JSONValue(parsing: Data(before.stdout.utf8))["status"]?.stringValue == "off")
            _ = try await RawHTTP.send(
                .POST, emulator.baseURL + "/emulator/v1/campaigns/\(Self.id(2))/state",
                body: #"{"contactsCalled":5750}"#)
            let after = try await ShellProcess.run(["-c", "why Q4_Renewals --format json"], home: home)
            let json = try JSONValue(parsing: Data(after.stdout.utf8))
            #expect(json["status"]?.stringValue == "on", "\(after.stdout)")
            #expect(
                json["reasons"]?.arrayValue?.contains { $0["code"]?.stringValue == "rule" } == true, "\(after.stdout)")
        }
    }
}

extension DriversTests {
    /// `pause --hold` keeps the campaign off through its next schedule window without changing what the
    /// rules do to other campaigns; `release` gives everything back; a running sequence is named, not edited.
    @Test func aHeldPauseStaysOffUntilReleased() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let now = Date()
            let east = Self.id(1)
            try await Self.put(
                emulator, "schedules", east,
                #"{"name":"East hours","timeZone":"UTC","campaign":{"id":"\#(east)"},"intervals":[{"start":"\#(Self.iso(now.addingTimeInterval(3600)))","end":"\#(Self.iso(now.addingTimeInterval(7200)))"}]}"#
            )
            try await Self.put(
                emulator, "campaignrules", "rule-shared",
                #"{"name":"Both on","enabled":true,"campaignRuleEntities":{"campaigns":[{"id":"\#(Self.id(2))"}]},"campaignRuleActions":[{"actionType":"turnOnCampaign","campaignRuleActionEntities":{"campaigns":[{"id":"\#(east)"},{"id":"\#(Self.id(4))"}]}}]}"#
            )
            try await Self.put(
                emulator, "campaignrules", "rule-east",
                #"{"name":"East only","enabled":true,"campaignRuleEntities":{"campaigns":[{"id":"\#(Self.id(2))"}]},"campaignRuleActions":[{"actionType":"turnOnCampaign","campaignRuleActionEntities":{"campaigns":[{"id":"\#(east)"}]}}]}"#
            )
            let audit = home.url.appending(path: "a.sqlite").path
            let held = try await ShellProcess.run(
                ["--audit-db", audit, "-c", "pause Q4_Promo_East --hold --yes"], home: home)
            #expect(held.status == 0, "\(held.stderr)")
            for line in [
                "delete its schedule (1 window", "take it out of the turn-on action of the rule 'Both on'",
                "disable the rule 'East only'", "Q4_Promo_East: deleted its schedule (hold 1",
            ] {
                #expect(held.stderr.contains(line), "\(line): \(held.stderr)")
            }
            let token = try await RawHTTP.token(
                emulator.baseURL, clientID: "campaignsh-sandbox", clientSecret: "sandbox-secret")
            let read = { (path: String) in
                try await RawHTTP.send(
                    .GET, emulator.baseURL + "/api/v2/outbound/" + path, headers: [("Authorization", "Bearer \(token)")]
                )
            }
            #expect(try await read("schedules/campaigns/\(east)").status == 404)
            let shared = try await read("campaignrules/rule-shared").json
            let targets = shared["campaignRuleActions"]?.arrayValue?.first?["campaignRuleActionEntities"]?["campaigns"]?
                .arrayValue
            #expect(targets?.compactMap { $0["id"]?.stringValue } == [Self.id(4)], "\(shared)")
            #expect(shared["enabled"]?.boolValue == true)
            #expect(try await read("campaignrules/rule-east").json["enabled"]?.boolValue == false)

            // The window opens: the campaign stays off.
            _ = try await RawHTTP.send(
                .POST, emulator.baseURL + "/emulator/v1/clock", body: #"{"advanceSeconds":3660}"#)
            #expect(try await read("campaigns/\(east)").json["campaignStatus"]?.stringValue == "off")

            let released = try await ShellProcess.run(["--audit-db", audit, "-c", "release Q4_Promo_East"], home: home)
            #expect(released.status == 0, "\(released.stderr)")
            #expect(try await read("schedules/campaigns/\(east)").status == 200)
            #expect(try await read("campaignrules/rule-east").json["enabled"]?.boolValue == true)
            let restored = try await read("campaignrules/rule-shared").json
            #expect(
                restored["campaignRuleActions"]?.arrayValue?.first?["campaignRuleActionEntities"]?["campaigns"]?
                    .arrayValue?.count == 2
            )
            let rows = try await ShellProcess.run(
                ["--audit-db", audit, "-c", "audit --format csv --no-headers --columns verb,outcome"], home: home)
            #expect(rows.stdout.components(separatedBy: "hold,success").count - 1 == 3, "\(rows.stdout)")
            #expect(rows.stdout.components(separatedBy: "release,success").count - 1 == 3, "\(rows.stdout)")
        }
    }

    /// A running sequence is not edited: the hold says what it would affect, and the pause still happens.
    @Test func aHoldNamesTheSequenceItCannotChange() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            try await Self.put(
                emulator, "sequences", "seq-east",
                #"{"name":"East then West","status":"on","currentCampaign":1,"campaigns":[{"id":"\#(Self.id(2))"},{"id":"\#(Self.id(1))"}]}"#
            )
            let held = try await ShellProcess.run(["-c", "pause Q4_Promo_East --hold --yes"], home: home)
            #expect(held.status == 1, "\(held.stderr)")
            #expect(
                held.stderr.contains(
                    "cannot hold: the running sequence 'East then West' starts it in its turn; campaignsh does not edit a running sequence"
                ), "\(held.stderr)")
            #expect(
                held.stderr.contains("error: paused, but not held against everything: Q4_Promo_East"), "\(held.stderr)")
        }
    }
}

extension DriversTests {
    /// Archive then restore leaves the campaign whole: its schedule is created again for the new id, and
    /// the rule and the sequence that named it name the new id, whether the server refuses to delete a
    /// referenced campaign or drops the references itself.
    @Test(arguments: EmulatorConfiguration.ReferencedDelete.allCases)
    func archiveAndRestoreRepointEverythingThatNamedTheCampaign(mode: EmulatorConfiguration.ReferencedDelete)
        async throws
    {
        var configuration = EmulatorConfiguration()
        configuration.referencedCampaignDelete = mode
        try await GenesysEmulator.withRunning(configuration) { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let old = Self.id(5)
            let tomorrow = Date().addingTimeInterval(86_400)
            try await Self.put(
                emulator, "schedules", old,
                #"{"name":"60day hours","timeZone":"UTC","campaign":{"id":"\#(old)"},"intervals":[{"start":"\#(Self.iso(tomorrow))","end":"\#(Self.iso(tomorrow.addingTimeInterval(3600)))"}]}"#
            )
            try await Self.put(
                emulator, "campaignrules", "rule-60",
                #"{"name":"After 60day","enabled":true,"campaignRuleEntities":{"campaigns":[{"id":"\#(old)"}]},"campaignRuleActions":[{"actionType":"turnOnCampaign","campaignRuleActionEntities":{"campaigns":[{"id":"\#(Self.id(4))"}]}}]}"#
            )
            try await Self.put(
                emulator, "sequences", "seq-60",
                #"{"name":"60 then Retention","status":"off","currentCampaign":0,"campaigns":[{"id":"\#(old)"},{"id":"\#(Self.id(8))"}]}"#
            )
            let archived = try await ShellProcess.run(["-c", "archive Collections_60day --yes"], home: home)
            #expect(archived.status == 0, "\(archived.stderr)")
            #expect(
                archived.stderr.contains(
                    "kept for restore and took it out of its schedule, the rule 'After 60day', the sequence '60 then Retention'"
                ), "\(archived.stderr)")
            let restored = try await ShellProcess.run(["-c", "restore Collections_60day --yes"], home: home)
            #expect(restored.status == 0, "\(restored.stderr)")
            let shown = try await ShellProcess.run(["-c", "show Collections_60day --format json"], home: home)
            let new = try JSONValue(parsing: Data(shown.stdout.utf8))["id"]?.stringValue ?? "?"
            #expect(new != old)
            let token = try await RawHTTP.token(
                emulator.baseURL, clientID: "campaignsh-sandbox", clientSecret: "sandbox-secret")
            let read = { (path: String) in
                try await RawHTTP.send(
                    .GET, emulator.baseURL + "/api/v2/outbound/" + path, headers: [("Authorization", "Bearer \(token)")]
                )
            }
            let schedule = try await read("schedules/campaigns/\(new)")
            #expect(schedule.status == 200 && schedule.json["campaign"]?["id"]?.stringValue == new, "\(schedule.json)")
            let rule = try await read("campaignrules/rule-60").json
            #expect(
                rule["campaignRuleEntities"]?["campaigns"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [new],
                "\(rule)")
            let sequence = try await read("sequences/seq-60").json
            #expect(
                sequence["campaigns"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [new, Self.id(8)],
                "\(sequence)")
            for line in [
                "created its schedule again for \(new)", "pointed the rule 'After 60day' at \(new)",
                "pointed the sequence '60 then Retention' at \(new)",
            ] {
                #expect(restored.stderr.contains(line), "\(line): \(restored.stderr)")
            }
        }
    }
}

extension DriversTests {
    /// `activate` refuses a campaign whose list is still importing unless `--override list` names it, and
    /// only warns when it is outside its callable hours.
    @Test func activateChecksTheListAndWarnsOfCallableHours() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            try await Self.put(
                emulator, "contactlists", "c0ffee02-5eed-4002-8003-000000000003",
                #"{"name":"Renewals list","columnNames":["Cell"],"size":100,"importStatus":{"state":"IN_PROGRESS","totalRecords":1000,"completedRecords":100,"percentComplete":10}}"#
            )
            try await Self.put(
                emulator, "callabletimesets", "ct-never",
                #"{"name":"Never","callableTimes":[{"timeZoneId":"UTC","timeSlots":[]}]}"#)
            try await Self.edit(emulator, campaign: 3) { $0["callableTimeSet"] = ["id": "ct-never"] }
            let refused = try await ShellProcess.run(["-c", "activate Q4_Renewals"], home: home)
            #expect(refused.status != 0)
            #expect(
                refused.stderr.contains("FAIL list: 'Renewals list' is still importing (10 %)"), "\(refused.stderr)")
            #expect(refused.stderr.contains("WARN callable-hours: outside its callable hours now"), "\(refused.stderr)")
            let overridden = try await ShellProcess.run(
                ["-c", "activate Q4_Renewals --override list --reason 'import nearly done'"], home: home)
            #expect(overridden.status == 0, "\(overridden.stderr)")
            #expect(overridden.stdout.contains("\ton\tsuccess"), "\(overridden.stdout)")
        }
    }

    /// A dry run of `pause --hold` says what it would change and changes nothing.
    @Test func aPlannedHoldChangesNothing() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let east = Self.id(1)
            try await Self.put(
                emulator, "schedules", east,
                #"{"name":"East hours","timeZone":"UTC","campaign":{"id":"\#(east)"},"intervals":[{"start":"\#(Self.iso(Date().addingTimeInterval(3600)))","end":"\#(Self.iso(Date().addingTimeInterval(7200)))"}]}"#
            )
            let planned = try await ShellProcess.run(
                ["--dry-run", "-c", "pause Q4_Promo_East --hold --yes; release Q4_Promo_East"], home: home)
            #expect(planned.status == 0, "\(planned.stderr)")
            #expect(
                planned.stdout.contains(
                    "-c:1  DELETE /api/v2/outbound/schedules/campaigns/\(east): deletes its schedule (kept for release)"
                ),
                "\(planned.stdout)")
            let changes = await emulator.requests().filter {
                $0.method != "GET" && $0.path.hasPrefix("/api/v2/outbound")
            }
            #expect(changes.isEmpty, "\(changes.map(\.path))")
        }
    }
}

extension DriversTests {
    /// An archive that cannot happen (a running sequence holds the campaign) gives back what it had
    /// already taken the campaign out of: its schedule and its rule are as they were.
    @Test func anArchiveThatFailsGivesBackItsLinks() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home()
            try home.writeDotEnv(baseURL: emulator.baseURL)
            let old = Self.id(5)
            let tomorrow = Date().addingTimeInterval(86_400)
            try await Self.put(
                emulator, "schedules", old,
                #"{"name":"60day hours","timeZone":"UTC","campaign":{"id":"\#(old)"},"intervals":[{"start":"\#(Self.iso(tomorrow))","end":"\#(Self.iso(tomorrow.addingTimeInterval(3600)))"}]}"#
            )
            try await Self.put(
                emulator, "campaignrules", "rule-60",
                #"{"name":"After 60day","enabled":true,"campaignRuleEntities":{"campaigns":[{"id":"\#(old)"}]},"campaignRuleActions":[{"actionType":"turnOnCampaign","campaignRuleActionEntities":{"campaigns":[{"id":"\#(Self.id(4))"}]}}]}"#
            )
            try await Self.put(
                emulator, "sequences", "seq-60",
                #"{"name":"Running 60","status":"on","currentCampaign":1,"campaigns":[{"id":"\#(Self.id(8))"},{"id":"\#(old)"}]}"#
            )
            let archived = try await ShellProcess.run(["-c", "archive Collections_60day --yes"], home: home)
            #expect(archived.status == 1, "\(archived.stderr)")
            #expect(
                archived.stderr.contains(
                    "cannot archive Collections_60day: the running sequence 'Running 60' holds it: stop the sequence first"
                ),
                "\(archived.stderr)")
            let token = try await RawHTTP.token(
                emulator.baseURL, clientID: "campaignsh-sandbox", clientSecret: "sandbox-secret")
            let read = { (path: String) in
                try await RawHTTP.send(
                    .GET, emulator.baseURL + "/api/v2/outbound/" + path, headers: [("Authorization", "Bearer \(token)")]
                )
            }
            #expect(try await read("campaigns/\(old)").status == 200)
            #expect(try await read("schedules/campaigns/\(old)").status == 200)
            let rule = try await read("campaignrules/rule-60").json
            #expect(
                rule["campaignRuleEntities"]?["campaigns"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [old],
                "\(rule)")
        }
    }
}
