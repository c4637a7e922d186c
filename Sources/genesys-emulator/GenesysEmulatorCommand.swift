import ArgumentParser
import Foundation
import GenesysEmulator

@main
struct GenesysEmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genesys-emulator",
        abstract: "An emulator of the Genesys Cloud Platform API v2 for outbound campaigns.",
        discussion: """
            Serves /oauth/token, /api/v2/… and the test-control API /emulator/v1/… on one port, and prints \
            `listening on http://HOST:PORT` as its first line.
            """
    )

    @Option(help: "Port to listen on; 0 picks a free one.") var port = 0
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(name: .customLong("client-id"), help: "The OAuth client id the emulator accepts.")
    var clientID = EmulatorConfiguration().clientID
    @Option(name: .customLong("client-secret"), help: "The OAuth client secret the emulator accepts.")
    var clientSecret = EmulatorConfiguration().clientSecret
    @Option(help: "A JSON seed file with campaigns and queues (see --print-demo-seed).") var seed: String?
    @Option(name: .customLong("rate-limit"), help: "Requests per token per minute.")
    var rateLimit = EmulatorConfiguration().rateLimitPerMinute
    @Option(name: .customLong("stopping-delay"), help: "Seconds a campaign stays stopping before it is off.")
    var stoppingDelay = 2.0
    @Option(name: .customLong("token-lifetime"), help: "expires_in of issued tokens, in seconds.")
    var tokenLifetime = EmulatorConfiguration().tokenLifetimeSeconds
    @Option(name: .customLong("auth-failure-status"), help: "Status of a refused token request: 400 or 401.")
    var authFailureStatus = 401
    @Option(name: .customLong("version-conflict-status"), help: "Status of a stale version on PUT: 409 or 400.")
    var versionConflictStatus = 409
    @Option(name: .customLong("version-conflict-code"), help: "The ErrorBody code of a stale version.")
    var versionConflictCode = EmulatorConfiguration().versionConflictCode
    @Option(name: .customLong("max-active-campaigns"), help: "Campaigns allowed on, stopping or forced_stopping.")
    var maxActiveCampaigns = 50
    @Flag(name: .customLong("print-demo-seed"), help: "Print the built-in demo org as a seed file and exit.")
    var printDemoSeed = false

    func validate() throws {
        guard [400, 401].contains(authFailureStatus) else { throw ValidationError("--auth-failure-status must be 400 or 401") }
        guard [400, 409].contains(versionConflictStatus) else {
            throw ValidationError("--version-conflict-status must be 400 or 409")
        }
        guard stoppingDelay >= 0, rateLimit >= 1, tokenLifetime >= 1, (0...65535).contains(port) else {
            throw ValidationError("--stopping-delay, --rate-limit, --token-lifetime and --port need sensible values")
        }
    }

    func run() async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if printDemoSeed {
            print(String(decoding: try encoder.encode(EmulatorSeed.demoOrg), as: UTF8.self))
            return
        }
        var configuration = EmulatorConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.clientID = clientID
        configuration.clientSecret = clientSecret
        configuration.rateLimitPerMinute = rateLimit
        configuration.stoppingDelay = .milliseconds(Int((stoppingDelay * 1000).rounded()))
        configuration.tokenLifetimeSeconds = tokenLifetime
        configuration.authenticationFailureStatus = authFailureStatus
        configuration.versionConflictStatus = versionConflictStatus
        configuration.versionConflictCode = versionConflictCode
        configuration.maxActiveCampaigns = maxActiveCampaigns
        if let seed {
            do {
                configuration.seed = try JSONDecoder().decode(EmulatorSeed.self, from: Data(contentsOf: URL(fileURLWithPath: seed)))
            } catch {
                throw ValidationError("cannot read seed file \(seed): \(Self.describe(error))")
            }
        }
        try await GenesysEmulator(configuration: configuration).run { url in
            // Unbuffered: whoever started us waits for this line.
            FileHandle.standardOutput.write(Data("listening on \(url)\n".utf8))
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context), DecodingError.keyNotFound(_, let context),
            DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default:
            return (error as NSError).localizedDescription
        }
    }
}
