/// What one shell session remembers between lines: variables, output settings and run policy.
///
/// Plugin state (the Genesys connection, the current campaign) lives in components of their own;
/// this actor holds what the shell itself needs.
public actor ShellSession {
    public enum ErrorPolicy: String, Sendable, CaseIterable {
        case stop
        case `continue`
    }

    /// `${name}` values.
    public private(set) var variables: [String: String]
    /// The format chosen with `--format` for the whole session; `nil` picks by destination.
    public var format: OutputFormat?
    public var color: Bool
    /// Mutating commands print their plan instead of acting.
    public var dryRun: Bool
    /// Destructive commands proceed without asking.
    public var assumeYes: Bool
    public var errorPolicy: ErrorPolicy
    /// Print each command before running it.
    public var echo: Bool
    /// Set by `exit`: the status to leave with.
    public private(set) var exitRequest: ExitStatus?

    public init(
        variables: [String: String] = [:], format: OutputFormat? = nil, color: Bool = false, dryRun: Bool = false,
        assumeYes: Bool = false, errorPolicy: ErrorPolicy = .stop, echo: Bool = false
    ) {
        self.variables = variables
        self.format = format
        self.color = color
        self.dryRun = dryRun
        self.assumeYes = assumeYes
        self.errorPolicy = errorPolicy
        self.echo = echo
    }

    public func setVariable(_ name: String, _ value: String) { variables[name] = value }
    public func removeVariable(_ name: String) { variables[name] = nil }
    public func requestExit(_ status: ExitStatus) { exitRequest = status }

    public func setErrorPolicy(_ policy: ErrorPolicy) { errorPolicy = policy }

    /// Everything a session remembers, to be put back after a plan ran its lines against it.
    struct Saved: Sendable {
        let variables: [String: String]
        let format: OutputFormat?
        let color: Bool
        let dryRun: Bool
        let assumeYes: Bool
        let errorPolicy: ErrorPolicy
        let echo: Bool
        let exitRequest: ExitStatus?
    }

    func saved() -> Saved {
        Saved(
            variables: variables, format: format, color: color, dryRun: dryRun, assumeYes: assumeYes,
            errorPolicy: errorPolicy, echo: echo, exitRequest: exitRequest)
    }

    func restore(_ saved: Saved) {
        variables = saved.variables
        format = saved.format
        color = saved.color
        dryRun = saved.dryRun
        assumeYes = saved.assumeYes
        errorPolicy = saved.errorPolicy
        echo = saved.echo
        exitRequest = saved.exitRequest
    }
}
