import Foundation
import Testing

/// `metrics` after real requests to the emulator.
@Suite struct MetricsCommandTests {
    @Test func requestsAndCommandsAreCounted() async throws {
        let result = try await ShellProcess.run(
            [
                "--sandbox", "-c",
                "use Q4_Renewals; show > /dev/null; show > /dev/null; metrics export --format prometheus",
            ]
        )
        #expect(result.status == 0)
        let lines = Set(result.stdout.split(separator: "\n").map(String.init))
        let get = #"method="GET",route="/api/v2/outbound/campaigns/{campaignId}""#
        #expect(lines.contains("genesys_api_requests_total{\(get),status=\"2xx\"} 2"))
        #expect(lines.contains("genesys_api_request_duration_seconds_count{\(get)} 2"))
        #expect(lines.contains(#"genesys_api_requests_total{method="POST",route="/oauth/token",status="2xx"} 1"#))
        #expect(lines.contains(#"shell_command_duration_seconds_count{command="show"} 2"#))
        #expect(lines.contains("# TYPE genesys_api_requests_total counter"))

        let reset = try await ShellProcess.run([
            "--sandbox", "-c", "show Q4_Renewals > /dev/null; metrics reset; metrics --format json",
        ])
        let rows = try JSONSerialization.jsonObject(with: Data(reset.stdout.utf8)) as? [[String: Any]] ?? []
        // Only what ran after the reset remains (the reset command's own timing, perhaps a background refresh).
        #expect(!rows.contains { ($0["labels"] as? String) == "command=show" })
        #expect(rows.contains { ($0["labels"] as? String) == "command=metrics" })
    }
}
