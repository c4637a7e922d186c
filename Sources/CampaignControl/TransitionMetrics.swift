/// The swift-metrics labels of campaign transitions; `metrics` derives the headline figures from them
/// (average transition latency, validation error rate).
public enum TransitionMetrics {
    /// Timer: one sample per transition attempt that reached Genesys.
    public static let duration = "campaign_transition_duration_seconds"
    /// Counter: every transition requested, refused ones included.
    public static let attempts = "campaign_transitions_total"
    /// Counter: transitions refused by validation (lifecycle or pre-flight).
    public static let validationErrors = "campaign_validation_errors_total"
    /// Counter: PUTs repeated after a version conflict.
    public static let conflictRetries = "campaign_conflict_retries_total"
}
