import Foundation
import GenesysTestSupport
import Testing

/// `webhook`, `webhook set`, `webhook test` in the shell, against a local receiver.
@Suite struct WebhookCommandTests {
    @Test func aTestEventIsSignedDeliveredAndAudited() async throws {
        try await WebhookReceiver.withRunning { url, receiver in
            let home = try ShellProcess.Home(environment: ["HOOK_SECRET": "wfm-shared-secret"])
            let result = try await ShellProcess.run(
                [
                    "--sandbox", "-c",
                    "webhook set \(url) --secret-env HOOK_SECRET; webhook test; webhook; audit export --format jsonl --verb webhook",
                ],
                home: home
            )
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let lines = result.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("delivered: HTTP 200 in ") == true)
            #expect(result.stdout.contains("url\t\(url)"))
            #expect(result.stdout.contains("signing\tHMAC-SHA256 with $HOOK_SECRET"))
            #expect(!result.stdout.contains("wfm-shared-secret") && !result.stderr.contains("wfm-shared-secret"))
            let row = try #require(
                lines.last.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
            #expect(row["verb"] as? String == "webhook")
            #expect(row["outcome"] as? String == "success")
            #expect(row["http_status"] as? Int == 200)
            let delivery = try #require(await receiver.deliveries.first)
            #expect(delivery.headers["x-campaignsh-signature"]?.hasPrefix("sha256=") == true)
            #expect(delivery.headers["x-campaignsh-event"] == "webhook_test")
        }
    }

    /// A plan sends no test event and sets no webhook; it says both are left for apply.
    @Test func aPlanNeitherSetsNorTestsTheWebhook() async throws {
        try await WebhookReceiver.withRunning { url, receiver in
            let plan = try await ShellProcess.run([
                "--sandbox", "--dry-run", "-c", "webhook set \(url); webhook test; pause Q4_Promo_East; webhook",
            ])
            #expect(plan.status == 0, "stderr: \(plan.stderr)")
            #expect(plan.stdout.contains("-c:1  checked live when applied: webhook set \(url)"), "\(plan.stdout)")
            #expect(plan.stdout.contains("-c:1  checked live when applied: webhook test delivers"), "\(plan.stdout)")
            #expect(await receiver.deliveries.isEmpty)
        }
    }

    @Test func aFailingWebhookIsOneErrorLineAndStatusOne() async throws {
        try await WebhookReceiver.withRunning(failFirst: 100) { url, _ in
            let result = try await ShellProcess.run(["--sandbox", "-c", "webhook set \(url); webhook test"])
            #expect(result.status == 1)
            #expect(result.stderr == "error: webhook test failed after 5 attempts: HTTP 500\n")
        }
        let insecure = try await ShellProcess.run(["--sandbox", "-c", "webhook set http://wfm.example.com/hook"])
        #expect(insecure.status == 2)
        #expect(insecure.stderr.contains("must use https"))
    }
}
