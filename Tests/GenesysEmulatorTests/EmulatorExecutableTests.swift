import Foundation
import GenesysCloud
import GenesysEmulator
import GenesysTestSupport
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
        let (baseURL, process) = try await Self.start(["--port", "0", "--client-id", "ci", "--client-secret", "ci-secret"])
        defer { process.terminate(); process.waitUntilExit() }
        let token = try await RawHTTP.token(baseURL, clientID: "ci", clientSecret: "ci-secret")
        let answer = try await RawHTTP.send(.GET, baseURL + "/api/v2/outbound/campaigns", headers: [("Authorization", "Bearer \(token)")])
        #expect(answer.status == 200)
        #expect(answer.json["total"] == 14)
    }

    @Test func aSeedFileReplacesTheDemoOrg() async throws {
        let printed = try BuiltProduct.run("genesys-emulator", ["--print-demo-seed"])
        #expect(printed.status == 0)
        var seed = try JSONDecoder().decode(EmulatorSeed.self, from: Data(printed.stdout.utf8))
        #expect(seed.campaigns.count == 14)
        seed.campaigns = Array(seed.campaigns.prefix(2))
        let file = FileManager.default.temporaryDirectory.appending(path: "seed-\(UUID()).json")
        try JSONEncoder().encode(seed).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let (baseURL, process) = try await Self.start(["--port", "0", "--seed", file.path])
        defer { process.terminate(); process.waitUntilExit() }
        let token = try await RawHTTP.token(baseURL, clientID: "campaignsh-sandbox", clientSecret: "sandbox-secret")
        let answer = try await RawHTTP.send(.GET, baseURL + "/api/v2/outbound/campaigns", headers: [("Authorization", "Bearer \(token)")])
        #expect(answer.json["total"] == 2)
    }

    @Test func aBrokenSeedFileIsOneClearErrorLine() throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "seed-\(UUID()).json")
        try Data(#"{"campaigns": 3}"#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try BuiltProduct.run("genesys-emulator", ["--seed", file.path])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n").filter { !$0.isEmpty && !$0.hasPrefix("Usage") && !$0.contains("--help") }
        #expect(lines.count == 1)
        #expect(lines.first?.contains("cannot read seed file") == true)
        #expect(lines.first?.contains("campaigns") == true)
    }

    @Test func badOptionsAreRefused() throws {
        let result = try BuiltProduct.run("genesys-emulator", ["--version-conflict-status", "418"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--version-conflict-status must be 400 or 409"))
    }
}
