import Foundation
import GenesysEmulator
import Testing

/// config.toml as the shell reads it: any TOML, and a broken file is one line and status 2.
@Suite struct ConfigurationFileTests {
    private static func write(_ config: String, in home: ShellProcess.Home, permissions: Int = 0o600) throws -> URL {
        let folder = home.url.appending(path: "config/campaignsh")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appending(path: "config.toml")
        try Data(config.utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: file.path)
        return file
    }

    @Test func invalidTOMLIsOneLineWithTheFileAndTheLineAndStatusTwo() async throws {
        let home = try ShellProcess.Home()
        let file = try Self.write("[prod]\nregion = \"eu-west-1\"\nclient_secret = hunter2\n", in: home)
        let result = try await ShellProcess.run(["-c", "version"], home: home)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr == "campaignsh: error: \(file.path):3:17: invalid value: could not determine value type\n")
    }

    @Test func aSecretInAFileOthersCanReadIsRefused() async throws {
        let home = try ShellProcess.Home()
        let file = try Self.write("[prod]\nclient_secret = \"hunter2\"\n", in: home, permissions: 0o644)
        let result = try await ShellProcess.run(["-c", "version"], home: home)
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "campaignsh: error: \(file.path) holds a client secret but others can read it; run chmod 600 on it\n"
        )
    }

    @Test func quotedNamesDottedKeysAndInlineTablesNameAnOrg() async throws {
        try await GenesysEmulator.withRunning { emulator in
            let home = try ShellProcess.Home(environment: ["LAB_SECRET": "sandbox-secret"])
            _ = try Self.write(
                """
                default_profile = "EMEA lab"  # the emulator
                profiles.prod = { region = "eu-west-1", client_id = "prod-client" }

                ["EMEA lab"]
                client = { id = "ignored" }
                'client_id' = "campaignsh-sandbox"
                client_secret_env = '''LAB_SECRET'''
                api_base = "\(emulator.baseURL)"
                login_base = "\(emulator.baseURL)"
                """, in: home)
            let result = try await ShellProcess.run(["-c", "profile list; login"], home: home)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("EMEA lab\t\(emulator.baseURL)\tcampaignsh-sandbox\ttrue"))
            #expect(result.stdout.contains("prod\teu-west-1\tprod-client\tfalse"))
            #expect(result.stdout.contains("logged in as client campaignsh-sandbox"))
        }
    }
}
