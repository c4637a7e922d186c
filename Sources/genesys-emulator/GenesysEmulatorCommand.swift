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
            `listening on http://HOST:PORT` as its first line. Options marked "guess" pin behaviours no public \
            source settles; their defaults are the emulator's guesses.
            """
    )

    @Option(help: "Port to listen on; 0 picks a free one.") var port = 0
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(name: .customLong("client-id"), help: "The OAuth client id the emulator accepts.")
    var clientID = EmulatorConfiguration().clientID
    @Option(name: .customLong("client-secret"), help: "The OAuth client secret the emulator accepts.")
    var clientSecret = EmulatorConfiguration().clientSecret
    @Option(help: "A JSON seed file with campaigns and queues (see --print-demo-seed).") var seed: String?
    @Option(name: .customLong("rate-limit"), help: "Requests per token per window (a minute unless told).")
    var rateLimit = EmulatorConfiguration().rateLimit
    @Option(
        name: .customLong("rate-limit-window"),
        help: "The rate limit's window in seconds: 60 at Genesys; shorter lets a benchmark cross windows quickly."
    )
    var rateLimitWindow = 60
    @Option(
        name: .customLong("stopping-delay"),
        help: "Guess: how long a campaign stays stopping before it is off: seconds (2, 0.5) or 500ms, 90s, 5m."
    )
    var stoppingDelay = StoppingDelay(duration: EmulatorConfiguration().stoppingDelay)
    @Option(
        name: .customLong("start-delay"),
        help: "Guess: how long a campaign still reads off after POST …/start (default 0: on at once)."
    )
    var startDelay = StoppingDelay(duration: .zero)
    @Flag(name: .customLong("stop-bumps-version"), help: "Guess: stopping → off bumps the campaign's version.")
    var stopBumpsVersion = false
    @Option(
        name: .customLong("stop-when-not-running"),
        help: "Guess: the status POST …/stop answers on a campaign that is not running: 204 or 400."
    )
    var stopWhenNotRunning = EmulatorConfiguration().stopWhenNotRunningStatus
    @Flag(
        name: .customLong("allow-on-with-errors"), help: "Guess: accept on for a campaign whose errors are not empty.")
    var allowOnWithErrors = false
    @Flag(
        name: .customLong("refuse-forced-off-to-off"), help: "Guess: refuse forced_off → off as an invalid transition.")
    var refuseForcedOffToOff = false
    @Option(
        name: .customLong("idle-available-lines"),
        help: "Guess: linesUtilization.totalAvailableOutboundLines of a campaign that is not on."
    )
    var idleAvailableLines = EmulatorConfiguration().idleAvailableOutboundLines
    @Option(
        name: .customLong("list-entities"),
        help: "Guess: campaign listings carry full campaigns, or summaries (GET by id stays full)."
    )
    var listEntities = ListEntities.full
    @Option(
        name: .customLong("referenced-delete"),
        help: "Guess: a DELETE of a campaign a schedule, rule or sequence names cascades, or is refused (409)."
    )
    var referencedDelete = ReferencedDelete.cascade
    @Option(name: .customLong("token-lifetime"), help: "expires_in of issued tokens, in seconds.")
    var tokenLifetime = EmulatorConfiguration().tokenLifetimeSeconds
    @Option(name: .customLong("auth-failure-status"), help: "Status of a refused token request: 400 or 401.")
    var authFailureStatus = 401
    @Option(name: .customLong("version-conflict-status"), help: "Status of a stale version on PUT: 409 or 400.")
    var versionConflictStatus = 409
    @Option(name: .customLong("version-conflict-code"), help: "Guess: the ErrorBody code of a stale version.")
    var versionConflictCode = EmulatorConfiguration().versionConflictCode
    @Option(name: .customLong("max-active-campaigns"), help: "Campaigns allowed on, stopping or forced_stopping.")
    var maxActiveCampaigns = 50
    @Option(
        name: .customLong("calls-per-minute"),
        help: "Contacts an on campaign that can dial calls per minute of emulator time (POST /emulator/v1/clock)."
    )
    var callsPerMinute = EmulatorConfiguration().callsPerMinute
    @Flag(name: .customLong("print-demo-seed"), help: "Print the built-in demo org as a seed file and exit.")
    var printDemoSeed = false

    /// `--list-entities`, mapped onto the configuration's enum (which does not depend on ArgumentParser).
    enum ListEntities: String, ExpressibleByArgument, CaseIterable {
        case full, summary

        var configured: EmulatorConfiguration.ListEntities {
            switch self {
            case .full: .full
            case .summary: .summary
            }
        }
    }

    /// `--referenced-delete`, mapped onto the configuration's enum.
    enum ReferencedDelete: String, ExpressibleByArgument, CaseIterable {
        case cascade, refuse

        var configured: EmulatorConfiguration.ReferencedDelete {
            switch self {
            case .cascade: .cascade
            case .refuse: .refuse
            }
        }
    }

    /// `--stopping-delay`: a number of seconds, fractional allowed, or one with a unit (`ms`, `s`, `m`).
    struct StoppingDelay: ExpressibleByArgument {
        var duration: Duration

        init(duration: Duration) { self.duration = duration }

        init?(argument: String) {
            let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60)]
            let unit = units.first { argument.hasSuffix($0.suffix) }
            guard let amount = Double(argument.dropLast(unit?.suffix.count ?? 0)), amount.isFinite, amount >= 0 else {
                return nil
            }
            duration = .seconds(amount * (unit?.seconds ?? 1))
        }

        var defaultValueDescription: String {
            let (seconds, attoseconds) = duration.components
            return attoseconds == 0 ? "\(seconds)" : "\(Double(seconds) + Double(attoseconds) / 1e18)"
        }
    }

    func validate() throws {
        guard [400, 401].contains(authFailureStatus) else {
            throw ValidationError("--auth-failure-status must be 400 or 401")
        }
        guard [400, 409].contains(versionConflictStatus) else {
            throw ValidationError("--version-conflict-status must be 400 or 409")
        }
        guard [204, 400].contains(stopWhenNotRunning) else {
            throw ValidationError("--stop-when-not-running must be 204 or 400")
        }
        guard (0...1_000_000).contains(callsPerMinute) else {
            throw ValidationError("--calls-per-minute must be 0 to 1000000")
        }
        guard rateLimit >= 1, rateLimitWindow >= 1, tokenLifetime >= 1, idleAvailableLines >= 0,
            (0...65535).contains(port)
        else {
            throw ValidationError(
                "--rate-limit, --rate-limit-window, --token-lifetime, --idle-available-lines and --port need sensible values"
            )
        }
    }

    func run() async throws {
        if printDemoSeed {
            print(EmulatorSeed.demoOrg.jsonText())
            return
        }
        var configuration = EmulatorConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.clientID = clientID
        configuration.clientSecret = clientSecret
        configuration.rateLimit = rateLimit
        configuration.rateLimitWindow = .seconds(rateLimitWindow)
        configuration.stoppingDelay = stoppingDelay.duration
        configuration.startDelay = startDelay.duration
        configuration.stopBumpsVersion = stopBumpsVersion
        configuration.stopWhenNotRunningStatus = stopWhenNotRunning
        configuration.allowOnWithErrors = allowOnWithErrors
        configuration.refuseForcedOffToOff = refuseForcedOffToOff
        configuration.idleAvailableOutboundLines = idleAvailableLines
        configuration.listEntities = listEntities.configured
        configuration.referencedCampaignDelete = referencedDelete.configured
        configuration.tokenLifetimeSeconds = tokenLifetime
        configuration.authenticationFailureStatus = authFailureStatus
        configuration.versionConflictStatus = versionConflictStatus
        configuration.versionConflictCode = versionConflictCode
        configuration.maxActiveCampaigns = maxActiveCampaigns
        configuration.callsPerMinute = callsPerMinute
        if let seed {
            do {
                configuration.seed = try EmulatorSeed(parsing: Data(contentsOf: URL(fileURLWithPath: seed)))
            } catch let error as EmulatorSeed.Invalid {
                throw ValidationError("cannot read seed file \(seed): \(error)")
            } catch {
                throw ValidationError("cannot read seed file \(seed): \((error as NSError).localizedDescription)")
            }
        }
        try await GenesysEmulator(configuration: configuration).run { url in
            // Unbuffered: whoever started us waits for this line.
            FileHandle.standardOutput.write(Data("listening on \(url)\n".utf8))
        }
    }
}
