import ArgumentParser
import AuditStore
import CampaignControl
import Foundation
import GenesysCloud
import GenesysEmulator
import Metrics
import MetricsBackend
import ShellConfiguration
import ShellKit

/// `campaignsh`: the options of the shell contract (README.md, "The shell"), then the shell itself.
struct Campaignsh: AsyncParsableCommand {
    static let version = "0.2.0"

    static let configuration = CommandConfiguration(
        commandName: "campaignsh",
        abstract: "An admin shell for Genesys Cloud outbound campaigns.",
        discussion: """
            Credentials come from GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET and GENESYS_REGION (the environment or a \
            .env file), or from a profile in $XDG_CONFIG_HOME/campaignsh/config.toml. The secret is never a flag.
            Exit status: 0 ok, 1 a command failed, 2 usage, configuration or authentication error, \
            3 an expect failed or a wait timed out, 130 interrupted.
            """,
        version: version
    )

    @Flag(help: "Start an emulator of Genesys Cloud with a demo org, and log in to it.") var sandbox = false
    @Option(help: "A profile of config.toml.") var profile: String?
    @Option(help: "A region key (eu-west-1) or domain (mypurecloud.ie).") var region: String?
    @Option(name: .customLong("api-base"), help: "The API's base URL, e.g. https://api.mypurecloud.ie.") var apiBase:
        String?
    @Option(name: .customLong("login-base"), help: "The login host's base URL, e.g. https://login.mypurecloud.ie.")
    var loginBase: String?
    @Option(help: "Output format: \(OutputFormat.choices) (default: table on a terminal, plain otherwise).")
    var format: String?
    @Option(name: .customLong("var"), help: "Set a variable: NAME=VALUE (repeatable).") var variables: [String] = []
    @Flag(name: .customLong("dry-run"), help: "Print what mutating commands would do instead of doing it.") var dryRun =
        false
    @Flag(help: "Do not ask before destructive commands.") var yes = false
    @Option(name: .customLong("on-error"), help: "After a failed command: stop (default) or continue.") var onError:
        String?
    @Flag(help: "Print each command before running it.") var echo = false
    @Option(name: .customLong("audit-db"), help: "The audit database (default $XDG_DATA_HOME/campaignsh/audit.sqlite).")
    var auditDB: String?
    @Option(name: .customLong("history-file"), help: "The history file (default $XDG_STATE_HOME/campaignsh/history).")
    var historyFile: String?
    @Flag(name: .customLong("no-color"), help: "No colors, even on a terminal.") var noColor = false
    @Option(help: "Log each completed runbook line to this file.") var checkpoint: String?
    @Flag(help: "With --checkpoint: skip the mutations that already completed.") var resume = false
    @Option(name: .customShort("c"), help: "Run these commands and exit.") var commands: String?
    @Option(name: .customShort("f"), help: "Run the commands of this file and exit.") var file: String?
    @Argument(help: "A file of commands to run (same as -f).") var script: String?

    func validate() throws {
        if [commands != nil, file != nil, script != nil].filter({ $0 }).count > 1 {
            throw ValidationError("give only one of -c, -f and a FILE")
        }
        if let format, OutputFormat(rawValue: format) == nil {
            throw ValidationError("unknown format '\(format)'; use \(OutputFormat.choices)")
        }
        if let onError, ShellSession.ErrorPolicy(rawValue: onError) == nil {
            throw ValidationError("--on-error takes stop or continue")
        }
        for variable in variables where !variable.contains("=") {
            throw ValidationError("--var takes NAME=VALUE, not '\(variable)'")
        }
        if (apiBase == nil) != (loginBase == nil) { throw ValidationError("give --api-base and --login-base together") }
        if resume, checkpoint == nil { throw ValidationError("--resume needs --checkpoint FILE") }
    }

    func run() async throws {
        let metrics = MetricsRegistry()
        MetricsSystem.bootstrap(metrics)
        let environment = ProcessInfo.processInfo.environment
        let workingDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let configuration = try OrgConfiguration(environment: environment, workingDirectory: workingDirectory)
        let status: ExitStatus
        if sandbox {
            var sandboxConfiguration = EmulatorConfiguration()
            sandboxConfiguration.stoppingDelay = .seconds(3)
            let emulator = sandboxConfiguration
            status = try await GenesysEmulator.withRunning(emulator) { running in
                let settings = ConnectionSettings(
                    profile: "sandbox",
                    environment: try GenesysEnvironment(apiBase: running.baseURL, loginBase: running.baseURL),
                    credentials: ClientCredentials(clientID: emulator.clientID, clientSecret: emulator.clientSecret),
                    region: nil
                )
                return try await runShell(
                    settings: settings, configurationProblem: nil, configuration: configuration, metrics: metrics,
                    logIn: true
                )
            }
        } else {
            // An org named on the command line must be usable now. One half-described by the environment or
            // the default profile is reported by the commands that need it: help, audit, … still run.
            let explicit = profile != nil || region != nil || apiBase != nil
            let overrides = OrgConfiguration.Overrides(
                profile: profile, region: region, apiBase: apiBase, loginBase: loginBase)
            var settings: ConnectionSettings?
            var problem: String?
            switch Result(catching: { () throws(ConfigurationError) in try configuration.settings(overrides) }) {
            case .success(let resolved): settings = resolved
            case .failure(let error) where explicit: throw error
            case .failure(let error): problem = error.description
            }
            status = try await runShell(
                settings: settings, configurationProblem: problem, configuration: configuration, metrics: metrics,
                logIn: false
            )
        }
        if status != .success { throw ExitCode(status.rawValue) }
    }

    private func runShell(
        settings: ConnectionSettings?, configurationProblem: String?, configuration: OrgConfiguration,
        metrics: MetricsRegistry, logIn: Bool
    ) async throws -> ExitStatus {
        let environment = configuration.environment
        let stdinIsTerminal = isatty(STDIN_FILENO) == 1
        let interactive =
            stdinIsTerminal && isatty(STDOUT_FILENO) == 1 && commands == nil && file == nil && script == nil
        let color = isatty(STDOUT_FILENO) == 1 && !noColor && (environment["NO_COLOR"] ?? "").isEmpty

        let org = OrgSession(settings: settings, configurationProblem: configurationProblem)
        if logIn { _ = try await org.login() }
        var components = ShellComponents()
        components.register(AppInfo(name: "campaignsh", version: Self.version))
        components.register(org)
        components.register(configuration)
        components.register(metrics)
        let audit = AuditLog(path: auditDB ?? configuration.paths.auditDatabase)
        components.register(audit)
        let session = AuditSession(id: UUID().uuidString.lowercased())
        components.register(session)
        let webhook = WebhookNotifier(
            configuration: try configuration.webhook(),
            environment: environment, audit: audit,
            actor: .current(profile: settings?.profile, clientID: settings?.credentials.clientID), session: session.id
        )
        components.register(webhook)
        let credentials = settings?.credentials
        let historyPath = historyFile ?? configuration.paths.history
        let history = interactive ? HistoryFile(path: historyPath) { credentials?.secretAppears(in: $0) ?? false } : nil
        if let history { components.register(history) }

        let shellSession = ShellSession(
            variables: Dictionary(
                variables.map { pair in
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
                }
            ) { $1 },
            format: format.flatMap(OutputFormat.init(rawValue:)), color: color, dryRun: dryRun, assumeYes: yes,
            errorPolicy: onError.flatMap(ShellSession.ErrorPolicy.init(rawValue:)) ?? .stop, echo: echo
        )
        Interrupts.install()
        let runner = ShellRunner(
            plugins: InstalledPlugins.all, session: shellSession, components: components, isInteractive: interactive,
            takeInterrupt: Interrupts.take, describe: ErrorDescriptions.shellError(for:),
            checkpoint: checkpoint.map { Checkpoint(path: $0, resume: resume) }
        )
        let status = try await run(runner, interactive: interactive, history: history, org: org, color: color)
        // Deliveries still retrying in the background get a last chance before the process ends.
        await webhook.drain(timeout: .seconds(10))
        return status
    }

    /// Runs `-c`, the file, the terminal loop or standard input, whichever the invocation asks for.
    private func run(
        _ runner: ShellRunner, interactive: Bool, history: HistoryFile?, org: OrgSession, color: Bool
    ) async throws -> ExitStatus {
        if let commands {
            return await runner.runScript(lines: commands.split(separator: "\n").map(String.init))
        }
        if let path = file ?? script {
            return await runner.runFile(path)
        }
        if interactive, let history {
            await org.refreshNames()  // for Tab, in the background
            let input = EditLineInput(historyLines: history.lines) { request in
                runner.catalog.completions(
                    words: request.words, partial: request.partial, components: runner.components)
            }
            return await runner.runInteractive(input: input, history: history) {
                await Prompt.text(org: org, color: color)
            }
        }
        return await runner.runScript(input: PlainLineInput())
    }
}
