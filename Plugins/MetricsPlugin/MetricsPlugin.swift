import ArgumentParser
import CampaignControl
import Foundation
import MetricsBackend
import ShellKit

/// metrics, metrics reset, metrics export: how the tool and the API behave in this session.
public enum MetricsPlugin: ShellPlugin {
    public static let name = "Metrics"
    public static let commands: [any ShellCommand.Type] = [Metrics.self]
}

struct Metrics: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics", abstract: "Show this session's request and command metrics; reset or export them.",
        discussion: "Example: metrics; metrics export > campaignsh.prom",
        subcommands: [Show.self, Reset.self, Export.self], defaultSubcommand: Show.self)

    struct Show: ShellCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show the metrics as a table.", discussion: "Example: metrics show")

        func run(in context: CommandContext) async throws {
            let registry = try context.components.require(MetricsRegistry.self)
            let series = registry.series.filter { $0.count > 0 }
            func milliseconds(_ value: Double?) -> Cell {
                value.map { .number(($0 * 1_000_000).rounded() / 1000) } ?? .empty
            }
            var rows = series.map { item -> [Cell] in
                let labels = item.dimensions.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
                guard item.kind == .histogram else {
                    return [
                        .text(item.label), .text(labels), .integer(Int(item.count)), .empty, .empty, .empty, .empty,
                    ]
                }
                return [
                    .text(item.label), .text(labels), .integer(Int(item.count)),
                    milliseconds(item.sum / Double(item.count)),
                    milliseconds(item.percentile(0.5)), milliseconds(item.percentile(0.95)),
                    milliseconds(item.percentile(0.99)),
                ]
            }
            rows += Self.headlines(series)
            context.emit(
                .table(
                    Table(
                        columns: [
                            "metric", "labels", "count", Column("avgMs", title: "avg ms"),
                            Column("p50Ms", title: "p50 ms"),
                            Column("p95Ms", title: "p95 ms"), Column("p99Ms", title: "p99 ms"),
                        ],
                        rows: rows
                    )))
        }

        /// The two figures operators ask for first: average transition latency and validation error rate.
        static func headlines(_ series: [MetricsRegistry.Series]) -> [[Cell]] {
            let transitions = series.filter { $0.label == TransitionMetrics.duration }
            let count = transitions.reduce(0) { $0 + $1.count }
            guard count > 0 else { return [] }
            let latency = transitions.reduce(0) { $0 + $1.sum } / Double(count)
            let attempts = series.filter { $0.label == TransitionMetrics.attempts }.reduce(0) { $0 + $1.count }
            let invalid = series.filter { $0.label == TransitionMetrics.validationErrors }.reduce(0) { $0 + $1.count }
            return [
                [
                    .text("average transition latency"), .empty, .integer(Int(count)),
                    .number((latency * 1_000_000).rounded() / 1000), .empty, .empty, .empty,
                ],
                [
                    .text("validation error rate"), .text("\(invalid) of \(attempts)"), .integer(Int(attempts)),
                    attempts > 0 ? .number(Double(invalid) / Double(attempts)) : .empty, .empty, .empty, .empty,
                ],
            ]
        }
    }

    struct Reset: ShellCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset", abstract: "Set every metric back to zero.", discussion: "Example: metrics reset")

        func run(in context: CommandContext) async throws {
            try context.components.require(MetricsRegistry.self).reset()
        }
    }

    struct Export: ShellCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Print every series: Prometheus text (default) or --format json.",
            discussion: "Example: metrics export > campaignsh.prom")
        // The shell takes --format json itself; only the value it does not know reaches this option.
        @Option(help: "prometheus (default) or json.") var format: String?

        func validate() throws {
            if let format, format != "prometheus" {
                throw ValidationError("metrics export --format takes prometheus or json")
            }
        }

        func run(in context: CommandContext) async throws {
            let series = try context.components.require(MetricsRegistry.self).series
            guard context.renderer.format == .json || context.renderer.format == .jsonl else {
                return context.output.write(PrometheusExposition.render(series))
            }
            context.emit(
                .table(
                    Table(
                        columns: ["name", "labels", "type", "count", "sum", "p50", "p95", "p99"],
                        rows: series.map { item in
                            [
                                .text(item.label),
                                .text(item.dimensions.map { "\($0.0)=\($0.1)" }.joined(separator: ",")),
                                .text(item.kind == .counter ? "counter" : "histogram"), .integer(Int(item.count)),
                                .number(item.sum), .number(item.percentile(0.5) ?? 0),
                                .number(item.percentile(0.95) ?? 0),
                                .number(item.percentile(0.99) ?? 0),
                            ]
                        }
                    )))
        }
    }
}
