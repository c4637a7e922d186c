import AuditStore

extension AuditOutcome {
    /// How an outcome reads on a color terminal (SGR codes): done green, nothing to do dim, a retry yellow,
    /// refused or failed red, a dry run cyan. Keyed by the outcome's text, as a table column wants it.
    public static let terminalColors: [String: String] = [
        AuditOutcome.success.rawValue: "32", AuditOutcome.noop.rawValue: "2",
        AuditOutcome.conflictRetry.rawValue: "33", AuditOutcome.refused.rawValue: "31",
        AuditOutcome.error.rawValue: "31", AuditOutcome.dryRun.rawValue: "36",
    ]
}
