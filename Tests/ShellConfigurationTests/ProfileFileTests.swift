import CampaignControl
import Foundation
import Testing

@testable import ShellConfiguration

/// config.toml as TOML: every way of writing a profile gives the same profile, and a broken file gives one
/// line with the file and the line.
struct ProfileFileTests {
    private let path = "/home/op/.config/campaignsh/config.toml"

    private func parse(_ text: String) throws(ConfigurationError) -> ProfileFile {
        try ProfileFile(parsing: Data(text.utf8), path: path)
    }

    private func error(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func sectionsWithCommentsAndTheDefaultProfile() throws {
        let file = try parse(
            """
            # orgs I look after
            default_profile = "prod"  # the usual one

            [prod]
            region = "eu-west-1"   # Ireland
            client_id = "prod-client"
            client_secret_env = "PROD_GENESYS_SECRET"
            min_agents = 3

            [profiles.lab]
            api_base = "http://127.0.0.1:8080"
            login_base = "http://127.0.0.1:8080"
            client_id = "lab-client"
            """)
        #expect(file.defaultProfile == "prod")
        #expect(
            file.profiles == [
                .init(
                    name: "lab", apiBase: "http://127.0.0.1:8080", loginBase: "http://127.0.0.1:8080",
                    clientID: "lab-client"),
                .init(
                    name: "prod", region: "eu-west-1", clientID: "prod-client",
                    clientSecretVariable: "PROD_GENESYS_SECRET", minAgents: 3),
            ])
        #expect(!file.holdsSecret)
    }

    @Test func quotedKeysAndQuotedProfileNames() throws {
        let file = try parse(
            """
            default_profile = "EMEA prod"
            ["EMEA prod"]
            "region" = "eu-west-1"
            'client_id' = "emea"
            [profiles."us.east"]
            region = "us-east-1"
            """)
        #expect(file.defaultProfile == "EMEA prod")
        #expect(file.profiles.map(\.name) == ["EMEA prod", "us.east"])
        #expect(file.profiles[0] == .init(name: "EMEA prod", region: "eu-west-1", clientID: "emea"))
        #expect(file.profiles[1].region == "us-east-1")
    }

    @Test func multiLineAndLiteralStrings() throws {
        let file = try parse(
            #"""
            [prod]
            client_id = """
            multi\
              line"""
            client_secret = '''
            C:\no\escapes'''
            client_secret_env = 'LITERAL_\t'
            """#)
        #expect(file.profiles[0].clientID == "multiline")
        #expect(file.profiles[0].clientSecret == #"C:\no\escapes"#)
        #expect(file.profiles[0].clientSecretVariable == #"LITERAL_\t"#)
    }

    @Test func inlineTablesAndDottedKeys() throws {
        let file = try parse(
            """
            lab = { region = "eu-west-1", client_id = "lab-client", min_agents = 0 }
            staging.region = "us-east-1"
            staging.client_id = "staging-client"
            profiles.qa = { region = "ap-southeast-2" }
            """)
        #expect(
            file.profiles == [
                .init(name: "lab", region: "eu-west-1", clientID: "lab-client", minAgents: 0),
                .init(name: "qa", region: "ap-southeast-2"),
                .init(name: "staging", region: "us-east-1", clientID: "staging-client"),
            ])
    }

    @Test func escapesInBasicStrings() throws {
        let file = try parse(
            #"""
            [prod]
            client_id = "caf\u00e9\t\"quoted\"\\"
            region = "\U0001F600"
            """#)
        #expect(file.profiles[0].clientID == "café\t\"quoted\"\\")
        #expect(file.profiles[0].region == "😀")
    }

    @Test func unknownKeysAndOtherTopLevelValuesAreIgnored() throws {
        let file = try parse(
            """
            editor = "vi"
            ports = [1, 2]
            [prod]
            region = "eu-west-1"
            colour = "blue"
            notes = { owner = "ops" }
            """)
        #expect(file.profiles == [.init(name: "prod", region: "eu-west-1")])
    }

    @Test func minAgentsAsANumberOrAsTheStringEarlierVersionsDocumented() throws {
        #expect(try parse("[a]\nmin_agents = 4").profiles[0].minAgents == 4)
        #expect(try parse("[a]\nmin_agents = \"4\"").profiles[0].minAgents == 4)
        #expect(error("[a]\nmin_agents = -1") == "\(path): [a] min_agents must be a whole number of agents")
        #expect(error("[a]\nmin_agents = 2.5") == "\(path): [a] min_agents must be a whole number of agents")
        #expect(error("[a]\nmin_agents = \"many\"") == "\(path): [a] min_agents must be a whole number of agents")
    }

    @Test func aSecretAnywhereInTheFileIsNoticed() throws {
        #expect(try parse("[a]\nclient_secret = \"s\"").holdsSecret)
        #expect(try parse("profiles.a.client_secret = \"s\"").holdsSecret)
        #expect(try parse("client_secret = \"s\"").holdsSecret)
        #expect(try parse("[[old]]\nclient_secret = \"s\"").holdsSecret)
        #expect(try !parse("[a]\nclient_secret_env = \"S\"").holdsSecret)
    }

    @Test func settingsOfTheWrongTypeNameTheKeyNotTheValue() {
        #expect(error("[prod]\nclient_id = 42") == "\(path): [prod] client_id must be a string, not an integer")
        #expect(
            error("[profiles.prod]\nclient_secret = true")
                == "\(path): [profiles.prod] client_secret must be a string, not a boolean")
        #expect(error("default_profile = 1") == "\(path): default_profile must be a string, not an integer")
        #expect(
            error("[profiles]\nregion = \"eu-west-1\"")
                == "\(path): profiles.region must be a table of settings ([profiles.region]), not a string")
        #expect(
            error("[prod]\nregion = \"a\"\n[profiles.prod]\nregion = \"b\"")
                == "\(path): profile 'prod' is defined twice ([prod] and [profiles.prod])")
    }

    @Test(arguments: [
        ("[prod]\nregion = eu-west-1\n", "2:10: invalid value: could not determine value type"),
        ("[prod\nregion = \"x\"\n", "1:6: invalid table header: expected ']'"),
        ("\n\n[prod]\nregion = \"x\nclient_id = \"y\"\n", "4:12: invalid string: unescaped control characters"),
        ("[prod]\nregion = \"a\"\nregion = \"b\"\n", "3:10: invalid key-value pair: cannot redefine existing string"),
        ("[prod]\n[prod]\n", "2:1: invalid table header: cannot redefine existing table"),
        ("[prod]\nclient_id\n", "2:10: invalid key-value pair: expected '='"),
        ("a = { b = 1\n", "1:12: invalid inline table: expected key or closing '}'"),
        ("[prod]\nregion = \"\"\"never closed\n", "2:26: invalid string: encountered end-of-file"),
    ])
    func invalidTOMLIsOneLineWithTheFileAndTheLine(text: String, expected: String) throws {
        let message = try #require(error(text))
        #expect(message.hasPrefix("\(path):\(expected)"), "\(message)")
        #expect(!message.contains("\n"))
    }

    /// The parser quotes what it saw, which may be a piece of a secret: the message keeps only what it
    /// expected.
    @Test(arguments: [
        "[prod]\nclient_secret = s3cr3tvalue\n",
        "[prod]\nclient_secret = 123s3cr3t\n",
        "[prod]\nclient_secret = 98765432109876543210987654321\n",
        "[prod]\nclient_secret = \"s3\\qcr3t\"\n",
        "[prod]\nclient_secret = trues3cr3t\n",
        "[prod]\nclient_secret = 0xs3cr3t\n",
        "[prod]\nclient_secret = \"s3cr3t\" s3cr3t\n",
        "[prod]\nclient_secret = 1979-05-27s3cr3t\n",
        "[prod]\nclient_secret = 1979-15-27\n",
        "[prod]\nclient_secret = { s3cr3t = 1 \n",
        "[prod]\nclient_secret = [ s3cr3t ]\n",
        "[prod]\ns3cr3t\n",
    ])
    func invalidTOMLNeverQuotesAValue(text: String) throws {
        let message = try #require(error(text))
        #expect(message.hasPrefix("\(path):2:"), "\(message)")
        for piece in ["s3", "cr3t", "987", "\\q", "1979", "15"] {
            #expect(!message.dropFirst(path.count + 3).contains(piece), "\(message)")
        }
    }

    @Test func textThatIsNotUTF8OrHoldsANULSaysOnWhichLine() throws {
        let latin1 = Data("[prod]\nregion = \"".utf8) + Data([0xE9]) + Data("\"\n".utf8)
        #expect(throws: ConfigurationError("\(path):2: invalid TOML: not UTF-8 text")) {
            try ProfileFile(parsing: latin1, path: path)
        }
        #expect(error("[prod]\n\nregion = \"eu\u{0}west\"") == "\(path):3: invalid TOML: a NUL character")
    }

    @Test func aByteOrderMarkAndAnEmptyFileAreFine() throws {
        #expect(try parse("\u{FEFF}[prod]\nregion = \"x\"").profiles.map(\.name) == ["prod"])
        #expect(try parse("").profiles.isEmpty)
    }

    @Test func theParsersOwnWordingIsKeptUpToWhatItSaw() {
        #expect(
            ProfileFile.describe("Error while parsing table header: expected ']', saw 'c'")
                == "invalid table header: expected ']'")
        #expect(
            ProfileFile.describe("Error while parsing decimal integer: '123456' is not representable in 64 bits")
                == "invalid decimal integer: the value is not representable in 64 bits")
        #expect(
            ProfileFile.describe("Error while parsing string: unknown escape sequence '\\q'")
                == "invalid string: unknown escape sequence")
        #expect(ProfileFile.describe("something else") == "invalid TOML: something else")
    }
}
