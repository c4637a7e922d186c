import ArgumentParser
import CampaignControl
import Foundation
import ShellKit

/// webhook, webhook set, webhook test: the WFM system that hears about every state change.
public enum WebhookPlugin: ShellPlugin {
    public static let name = "Webhook"
    public static let commands: [any ShellCommand.Type] = [Webhook.self]
}

struct Webhook: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook", abstract: "Show, set or test the WFM webhook that hears about state changes.",
        discussion: "Example: webhook set https://wfm.example.com/hooks/outbound --secret-env WFM_SECRET; webhook test",
        subcommands: [Show.self, Set.self, Test.self], defaultSubcommand: Show.self)

    struct Show: ShellCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show the webhook's configuration.", discussion: "Example: webhook show")

        func run(in context: CommandContext) async throws {
            let notifier = try context.components.require(WebhookNotifier.self)
            let configuration = await notifier.configuration
            let signing: Cell =
                if let variable = configuration?.secretVariable {
                    .text(
                        await notifier.hasSecret ? "HMAC-SHA256 with $\(variable)" : "$\(variable) is not set: unsigned"
                    )
                } else { .text("unsigned") }
            let last = await notifier.lastDelivery
            context.emit(
                .record([
                    ("url", Cell(configuration?.url.absoluteString ?? "not set")),
                    ("signing", configuration == nil ? .empty : signing),
                    ("pending deliveries", .integer(await notifier.pendingCount)),
                    (
                        "last delivery",
                        Cell(
                            last.map {
                                $0.succeeded
                                    ? "delivered (HTTP \($0.status ?? 0), \($0.attempts) attempts)"
                                    : "failed: \($0.error ?? "?") after \($0.attempts) attempts"
                            })
                    ),
                ]))
        }
    }

    struct Set: ShellCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Send state changes to URL, signed with the secret in an environment variable.",
            discussion: "Example: webhook set https://wfm.example.com/hooks/outbound --secret-env WFM_SECRET")
        @Argument(help: "https URL (http only to this machine).") var url: String
        @Option(name: .customLong("secret-env"), help: "The environment variable holding the signing secret.")
        var secretVariable: String?

        func run(in context: CommandContext) async throws {
            let notifier = try context.components.require(WebhookNotifier.self)
            let configuration = try WebhookConfiguration(url: url, secretVariable: secretVariable)
            // A plan leaves the notifier as it is: a plan that fails must leave nothing set.
            if let plan = Rehearsal.current { return plan.checkLive("webhook set \(configuration.url)") }
            await notifier.configure(configuration)
            if secretVariable != nil, !(await notifier.hasSecret) {
                context.note("warning: $\(secretVariable!) is empty; deliveries will be unsigned")
            }
        }
    }

    struct Test: ShellCommand {
        static let configuration = CommandConfiguration(
            commandName: "test", abstract: "Send a test event and report the response.",
            discussion: "Example: webhook test")

        func run(in context: CommandContext) async throws {
            // A plan sends nothing (the webhook it tests may be one the plan would set).
            if let plan = Rehearsal.current { return plan.checkLive("webhook test delivers") }
            let notifier = try context.components.require(WebhookNotifier.self)
            guard await notifier.configuration != nil else {
                throw ShellError.usage("no webhook set", hint: "use 'webhook set URL'")
            }
            let delivery = await notifier.test(command: "webhook test")
            let milliseconds = delivery.latency.nanoseconds / 1_000_000
            guard delivery.succeeded else {
                throw ShellError.failure(
                    "webhook test failed after \(delivery.attempts) attempts: \(delivery.error ?? "?")")
            }
            context.emit(
                .text(
                    "delivered: HTTP \(delivery.status ?? 0) in \(milliseconds) ms (\(delivery.attempts) attempt\(delivery.attempts == 1 ? "" : "s"))"
                ))
        }
    }
}
