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
struct Campaignsh {
    static let version = "0.2.0"
    static let abstract = "An admin shell for Genesys Cloud outbound campaigns."
    static let discussion = """
        Credentials come from GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET and GENESYS_REGION (the environment or a \
        .env file), or from a profile in $XDG_CONFIG_HOME/campaignsh/config.toml. The secret is never a flag.
        Exit status: 0 ok, 1 a command failed, 2 usage, configuration or authentication error, \
        3 an expect failed, a wait timed out or a runbook's plan refused, 130 interrupted.
        """

    let options: CommandLineOptions

    func run() async throws -> ExitStatus {
        let metrics = MetricsRegistry()
        MetricsSystem.bootstrap(metrics)
        let environment = ProcessInfo.processInfo.environment
        let workingDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let configuration = try OrgConfiguration(environment: environment, workingDirectory: workingDirectory)
        for warning in configuration.warnings {
            OutputDestination.standardError.write(TerminalText.escaped("warning: " + warning) + "\n")
        }
        let status: ExitStatus
        if options.sandbox {
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
            let explicit = options.profile != nil || options.region != nil || options.apiBase != nil
            let overrides = OrgConfiguration.Overrides(
                profile: options.profile, region: options.region, apiBase: options.apiBase,
                loginBase: options.loginBase)
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
        return status
    }

    private func runShell(
        settings: ConnectionSettings?, configurationProblem: String?, configuration: OrgConfiguration,
        metrics: MetricsRegistry, logIn: Bool
    ) async throws -> ExitStatus {
        let environment = configuration.environment
        let stdinIsTerminal = isatty(STDIN_FILENO) == 1
        let interactive =
            stdinIsTerminal && isatty(STDOUT_FILENO) == 1 && options.commands == nil && options.file == nil
            && options.script == nil
        let color = isatty(STDOUT_FILENO) == 1 && !options.noColor && (environment["NO_COLOR"] ?? "").isEmpty

        var client = GenesysClient.Configuration()
        (client.requestTimeout, client.maxResponseBytes) = try configuration.requestLimits()
        if isatty(STDERR_FILENO) == 1 {
            // A wait before a retry (Retry-After, or backoff after a 5xx) of a second or more is shown live.
            client.sleep = { duration in
                let shown = duration >= .seconds(1)
                if shown {
                    OutputDestination.standardError.showLive(
                        "waiting \(DurationArgument(duration).text) before retrying (rate limit or a busy server)")
                }
                defer { if shown { OutputDestination.standardError.clearLive() } }
                try await Task.sleep(for: duration)
            }
        }
        let org = OrgSession(
            settings: settings, configurationProblem: configurationProblem, clientConfiguration: client)
        if logIn { _ = try await org.login() }
        var components = ShellComponents()
        components.register(AppInfo(name: "campaignsh", version: Self.version))
        components.register(org)
        components.register(Self.runbookPlanner(for: org))
        components.register(configuration)
        components.register(metrics)
        let audit = AuditLog(
            path: options.auditDB ?? settings.map { configuration.paths.auditDatabase(org: $0.orgName) }
                ?? configuration.paths.auditDatabase)
        components.register(audit)
        let session = AuditSession(id: UUID().uuidString.lowercased())
        components.register(session)
        let webhook = WebhookNotifier(
            configuration: try configuration.webhook(),
            environment: environment, audit: audit,
            actor: settings?.auditActor ?? .current(profile: nil, clientID: nil), session: session.id
        )
        components.register(webhook)
        let actor = settings?.auditActor ?? .current(profile: nil, clientID: nil)
        await org.onFirstUse { client in
            await Self.closeInterruptedChanges(
                IntentReconciler(client: client, audit: audit, actor: actor, session: session.id))
        }
        let credentials = settings?.credentials
        let historyPath = options.historyFile ?? configuration.paths.history
        let history = interactive ? HistoryFile(path: historyPath) { credentials?.secretAppears(in: $0) ?? false } : nil
        if let history { components.register(history) }

        let shellSession = ShellSession(
            variables: Dictionary(
                options.variables.map { pair in
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
                }
            ) { $1 },
            format: options.format.flatMap(OutputFormat.init(rawValue:)), color: color, dryRun: options.dryRun,
            assumeYes: options.yes,
            errorPolicy: options.onError.flatMap(ShellSession.ErrorPolicy.init(rawValue:)) ?? .stop, echo: options.echo
        )
        Interrupts.install()
        let runner = ShellRunner(
            plugins: InstalledPlugins.all, session: shellSession, components: components, isInteractive: interactive,
            takeInterrupt: Interrupts.take, describe: ErrorDescriptions.shellError(for:),
            checkpoint: options.checkpoint.map { Checkpoint(path: $0, resume: options.resume) }
        )
        let status: ExitStatus
        do {
            status = try await run(runner, interactive: interactive, history: history, org: org, color: color)
        } catch {
            await org.closeNotifications()
            throw error
        }
        // The channel's socket is closed, not dropped, and deliveries still retrying in the background get
        // a last chance before the process ends.
        await org.closeNotifications()
        await webhook.drain(timeout: .seconds(10))
        return status
    }

    /// The line a terminal session starts with: which org this is (where mistakes would land) and where to
    /// begin.
    private static func greeting(org: OrgSession, audit: AuditLog?) async -> String {
        guard let settings = await org.settings else {
            return "campaignsh \(version): no org configured (see 'campaignsh --help'); type 'help' for the commands\n"
        }
        let audited = audit.map { ", audited in \($0.path)" } ?? ""
        return
            "campaignsh \(version) on \(settings.orgName) (\(settings.environment.apiBase.absoluteString))\(audited)\n"
            + "type 'help' for the commands, Ctrl-D to leave\n"
    }

    /// Closes the changes a shell killed earlier left unfinished, one line each on standard error; a
    /// failure to check is a warning (the command that needed the org goes on, and reports its own).
    static func closeInterruptedChanges(_ reconciler: IntentReconciler) async {
        do {
            for row in try await reconciler.reconcile() {
                OutputDestination.standardError.write(
                    TerminalText.escaped(
                        "interrupted: \(row.entry.verb) \(row.entry.campaignName ?? row.entry.campaignID ?? "?") "
                            + "(audit row \(row.seq)): \(row.entry.errorMessage ?? "")") + "\n")
            }
        } catch {
            OutputDestination.standardError.write(
                TerminalText.escaped("warning: could not check for changes an earlier shell left unfinished: \(error)")
                    + "\n")
        }
    }

    /// Plans of runbooks run against the org as ``PlannedOrg`` simulates it.
    private static func runbookPlanner(for org: OrgSession) -> RunbookPlanner {
        @Sendable func takeChanges() async -> PlannedChanges {
            guard let plan = await org.plan else { return PlannedChanges() }
            let (changes, assumptions) = await plan.takeChanges()
            guard !assumptions.isEmpty else { return PlannedChanges(changes: changes.map(\.description)) }
            let drift: @Sendable () async throws -> String? = {
                try await PlannedOrg.drift(from: assumptions, client: org.connectedClient())
            }
            return PlannedChanges(changes: changes.map(\.description), drift: drift)
        }
        return RunbookPlanner(
            begin: { _ = await org.beginPlan() }, takeChanges: takeChanges, end: { await org.endPlan() })
    }

    /// Runs `-c`, the file, the terminal loop or standard input, whichever the invocation asks for.
    private func run(
        _ runner: ShellRunner, interactive: Bool, history: HistoryFile?, org: OrgSession, color: Bool
    ) async throws -> ExitStatus {
        if let commands = options.commands {
            return await runner.runScript(lines: commands.split(separator: "\n").map(String.init))
        }
        if let path = options.file ?? options.script {
            return await runner.runFile(path)
        }
        if interactive, let history {
            await org.refreshNames()  // for Tab, in the background
            OutputDestination.standardError.write(
                await Self.greeting(org: org, audit: runner.components.get(AuditLog.self)))
            let input = EditLineInput(historyLines: history.lines) { request in
                runner.catalog.completions(for: request, components: runner.components)
            }
            return await runner.runInteractive(input: input, history: history) {
                await Prompt.text(org: org, session: runner.session, recorder: runner.recorder, color: color)
            }
        }
        return await runner.runScript(input: PlainLineInput())
    }
}
