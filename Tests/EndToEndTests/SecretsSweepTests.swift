import Foundation
import GenesysEmulator
import GenesysTestSupport
import Testing

/// After a session that touches everything that writes (audit, exports, metrics, webhook, a recorded
/// runbook, a checkpoint, errors), neither the client secret nor any token issued is in any file the shell
/// wrote, in its output, or in what the webhook received.
@Suite struct SecretsSweepTests {
    @Test func noSecretOrTokenAnywhere() async throws {
        let secret = "sweep-Secret-9f3e1c"
        let configuration = {
            var configuration = EmulatorConfiguration()
            configuration.clientSecret = secret
            return configuration
        }()
        try await WebhookReceiver.withRunning { hook, receiver in
            try await GenesysEmulator.withRunning(configuration) { emulator in
                let home = try ShellProcess.Home(environment: ["HOOK_SECRET": "hook-Secret-77aa"])
                try home.writeDotEnv(baseURL: emulator.baseURL, secret: secret)
                try """
                webhook set \(hook) --secret-env HOOK_SECRET
                record start recorded.cmds
                use Q4_Renewals
                activate
                pause --all --status on --yes
                record stop
                webhook test
                audit export --format jsonl > audit.jsonl
                audit export --format csv > audit.csv
                metrics export > metrics.prom
                whoami --format json > whoami.json
                echo the client secret is not here
                """.write(to: home.url.appending(path: "all.cmds"), atomically: true, encoding: .utf8)
                let run = try await ShellProcess.run(["--echo", "--checkpoint", "cp", "all.cmds"], home: home)
                #expect(run.status == 0, "\(run.stderr)")
                let failing = try await ShellProcess.run(["-c", "use no-such-campaign; login"], home: home)
                #expect(failing.status != 0)
                let tokens = await emulator.issuedTokens()
                #expect(!tokens.isEmpty)
                let secrets = [secret, "hook-Secret-77aa"] + tokens
                var seen: [String] = []
                func sweep(_ text: String, _ place: String) {
                    for value in secrets where text.contains(value) {
                        seen.append("\(place) holds \(value.prefix(6))…")
                    }
                }
                for output in [run.stdout, run.stderr, failing.stdout, failing.stderr] { sweep(output, "output") }
                for delivery in await receiver.deliveries {
                    sweep(String(decoding: delivery.body, as: UTF8.self), "a webhook body")
                    sweep(delivery.headers.values.joined(separator: "\n"), "a webhook header")
                }
                let files = FileManager.default.enumerator(at: home.url, includingPropertiesForKeys: nil)!
                var swept = 0
                for case let file as URL in files where file.lastPathComponent != ".env" {
                    guard let data = try? Data(contentsOf: file) else { continue }
                    swept += 1
                    sweep(String(decoding: data, as: UTF8.self), file.path)
                }
                #expect(swept >= 8, "only \(swept) files written; \(run.status): \(run.stderr)")
                #expect(seen.isEmpty, "\(seen)")
            }
        }
    }
}
