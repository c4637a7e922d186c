import CoreMetrics

/// What the client records through swift-metrics for every request attempt. Labels stay bounded:
/// routes are templates (`/api/v2/outbound/campaigns/{campaignId}`), statuses are classes.
public enum GenesysMetrics {
    /// Counter, by method, route and status class (`2xx` … `5xx`, or `error` without a response).
    public static let requests = "genesys_api_requests_total"
    /// Counter: attempts that were followed by another, by method and route.
    public static let retries = "genesys_api_retries_total"
    /// Counter: 429 answers, by route.
    public static let rateLimited = "genesys_api_rate_limited_total"
    /// Timer: each attempt's latency, by method and route.
    public static let latency = "genesys_api_request_duration_seconds"

    static func record(_ record: RequestRecord) {
        let request = [("method", record.method), ("route", record.route)]
        let statusClass = record.status.map { "\($0 / 100)xx" } ?? "error"
        Counter(label: requests, dimensions: request + [("status", statusClass)]).increment()
        if record.willRetry { Counter(label: retries, dimensions: request).increment() }
        if record.status == 429 { Counter(label: rateLimited, dimensions: [("route", record.route)]).increment() }
        let latency = record.latency.components
        Timer(label: Self.latency, dimensions: request)
            .recordNanoseconds(latency.seconds * 1_000_000_000 + latency.attoseconds / 1_000_000_000)
    }
}
