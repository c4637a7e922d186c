import Foundation
import GenesysEmulator
import GenesysTestSupport
import JSONDocument
import NIOHTTP1
import Testing

/// The `genesys-emulator` executable as a user runs it.
@Suite struct EmulatorExecutableTests {
    /// Starts the binary and returns the base URL from its first line, and the process to stop.
    static func start(_ arguments: [String]) async throws -> (baseURL: String, process: Process) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltProduct.path("genesys-emulator"))
        process.arguments = arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        let first = await BuiltProduct.readLine(stdout.fileHandleForReading) ?? ""
        #expect(first.hasPrefix("listening on http://127.0.0.1:"))
        return (String(first.dropFirst("listening on ".count)), process)
    }

    @Test func portZeroPrintsTheListeningLineFirstAndServes() async throws {
        let (baseURL, process) = try await Self.start([
            "--port", "0", "--client-id", "ci", "--client-secret", "ci-secret",
        ])
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let token = try await RawHTTP.token(baseURL, clientID: "ci", clientSecret: "ci-secret")
        let answer = try await RawHTTP.send(
            .GET, baseURL + "/api/v2/outbound/campaigns", headers: [("Authorization", "Bearer \(token)")])
        #expect(answer.status == 200)
        #expect(answer.json["total"] == 14)
    }

    @Test func aSeedFileReplacesTheDemoOrg() async throws {
        let printed = try BuiltProduct.run("genesys-emulator", ["--print-demo-seed"])
        #expect(printed.status == 0)
        var seed = try EmulatorSeed(parsing: Data(printed.stdout.utf8))
        #expect(seed.campaigns.count == 14)
        seed.campaigns = Array(seed.campaigns.prefix(2))
        let file = FileManager.default.temporaryDirectory.appending(path: "seed-\(UUID()).json")
        try Data(seed.jsonText().utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let (baseURL, process) = try await Self.start(["--port", "0", "--seed", file.path])
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let token = try await RawHTTP.token(baseURL, clientID: "campaignsh-sandbox", clientSecret: "sandbox-secret")
        let answer = try await RawHTTP.send(
            .GET, baseURL + "/api/v2/outbound/campaigns", headers: [("Authorization", "Bearer \(token)")])
        #expect(answer.json["total"] == 2)
    }

    @Test func aBrokenSeedFileIsOneClearErrorLine() throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "seed-\(UUID()).json")
        try Data(#"{"campaigns": 3}"#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try BuiltProduct.run("genesys-emulator", ["--seed", file.path])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n").filter {
            !$0.isEmpty && !$0.hasPrefix("Usage") && !$0.contains("--help")
        }
        #expect(lines.count == 1)
        #expect(lines.first?.contains("cannot read seed file") == true)
        #expect(lines.first?.contains("campaigns") == true)
    }

    @Test func aSeedFileOfTheWrongShapeNamesTheFieldNotJSONSyntax() throws {
        var document = try OddCampaign.document()
        document["queue"] = "q1"
        let text =
            #"{"campaigns":[{"campaign":\#(JSONValue.object(document).jsonText),"contactsCalled":0,"totalContacts":1}],"queues":[]}"#
        let file = FileManager.default.temporaryDirectory.appending(path: "seed-\(UUID()).json")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try BuiltProduct.run("genesys-emulator", ["--seed", file.path])
        #expect(result.status != 0)
        #expect(
            result.stderr.contains(
                #"campaigns[0].campaign.queue: expected an object (DomainEntityRef), got text ("q1")"#))
        #expect(!result.stderr.contains("not valid JSON"))
    }

    @Test func theOpenBehaviourFlagsReachTheEmulator() async throws {
        let (baseURL, process) = try await Self.start([
            "--port", "0", "--stopping-delay", "250ms", "--stop-bumps-version", "--stop-when-not-running", "400",
            "--allow-on-with-errors", "--refuse-forced-off-to-off", "--idle-available-lines", "7", "--list-entities",
            "summary",
        ])
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let token = try await RawHTTP.token(baseURL, clientID: "campaignsh-sandbox", clientSecret: "sandbox-secret")
        func api(_ method: HTTPMethod, _ path: String) async throws -> RawHTTP.Answer {
            try await RawHTTP.send(
                method, baseURL + "/api/v2/outbound/campaigns" + path, headers: [("Authorization", "Bearer \(token)")])
        }
        let draft = Demo.campaign("Q4_Renewals")
        #expect(try await api(.POST, "/\(draft)/stop").status == 400)
        #expect(try await api(.GET, "/\(draft)/stats").json["linesUtilization"]?["totalAvailableOutboundLines"] == 7)
        #expect(try await api(.GET, "").json["entities"]?.arrayValue?.first?["phoneColumns"] == nil)
        let running = Demo.campaign("Q4_Promo_East")
        #expect(try await api(.POST, "/\(running)/stop").status == 204)
        try await Task.sleep(for: .milliseconds(300))
        let off = try await api(.GET, "/\(running)").json
        #expect(off["campaignStatus"] == "off")
        #expect(off["version"] == 5)  // 3, the stop, the end of stopping
    }

    @Test func badOptionsAreRefused() throws {
        let delay = try BuiltProduct.run("genesys-emulator", ["--stopping-delay", "soon"])
        #expect(delay.status == 64)
        #expect(delay.stderr.contains("--stopping-delay"))
        let stop = try BuiltProduct.run("genesys-emulator", ["--stop-when-not-running", "409"])
        #expect(stop.status == 64)
        #expect(stop.stderr.contains("--stop-when-not-running must be 204 or 400"))
        let result = try BuiltProduct.run("genesys-emulator", ["--version-conflict-status", "418"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--version-conflict-status must be 400 or 409"))
    }
}
