import Foundation
import GenesysTestSupport
import Testing

@testable import ShellConfiguration

/// Seeded mutations of `.env` and `profiles.toml` files: every one reads or is refused with an error,
/// never a crash. `FUZZ_ITERATIONS` inputs per target.
@Suite struct FuzzTests {
    static let tokens = [
        "=", "\"", "'", "\\", "#", "\n", "[", "]", "[[", "{", "}", ",", "export ", "\u{0}", "é", "1e400", "\"\"\"",
    ]

    @Test func dotEnvFilesNeverCrashTheReader() {
        let sample = """
            # the sandbox
            GENESYS_CLIENT_ID=campaignsh-sandbox
            export GENESYS_CLIENT_SECRET="sandbox secret"  # quoted
            GENESYS_REGION='eu-west-1'
            """
        var random = Fuzz()
        for _ in 0..<Fuzz.iterations {
            let text = String(decoding: random.mutate(sample, tokens: Self.tokens), as: UTF8.self)
            for (name, _) in DotEnv.parse(text) {
                #expect(!name.isEmpty && !name.contains("="), "\(text.debugDescription)")
            }
        }
    }

    @Test func profileFilesNeverCrashTheReader() {
        let sample = """
            default_profile = "prod"

            [profiles.prod]
            region = "eu-west-1"
            client_id = "0f3c"
            client_secret_env = "PROD_SECRET"
            min_agents = 3

            [profiles."lab one"]
            api_base = "http://127.0.0.1:8080"
            login_base = "http://127.0.0.1:8080"
            """
        var random = Fuzz()
        for _ in 0..<Fuzz.iterations {
            let bytes = random.mutate(sample, tokens: Self.tokens)
            do {
                _ = try ProfileFile(parsing: Data(bytes), path: "profiles.toml")
            } catch {
                #expect(!"\(error)".isEmpty)
            }
        }
    }
}
