import Foundation
import GenesysCloud
import Testing

@Suite struct GenesysEnvironmentTests {
    @Test func everyRegionHasAnApiAndALoginHost() throws {
        #expect(GenesysEnvironment.regions.count == 18)
        #expect(Set(GenesysEnvironment.regions.map(\.key)).count == 18)
        for region in GenesysEnvironment.regions {
            let byKey = try GenesysEnvironment(region: region.key)
            let byDomain = try GenesysEnvironment(region: region.domain)
            #expect(byKey == byDomain)
            #expect(byKey.apiBase.absoluteString == "https://api.\(region.domain)")
            #expect(byKey.loginBase.absoluteString == "https://login.\(region.domain)")
        }
    }

    @Test func regionsAreFoundByKeyOrDomain() throws {
        #expect(try GenesysEnvironment(region: "eu-west-1").apiBase.absoluteString == "https://api.mypurecloud.ie")
        #expect(
            try GenesysEnvironment(region: "MyPureCloud.com.au").loginBase.absoluteString
                == "https://login.mypurecloud.com.au")
        #expect(throws: EnvironmentError.unknownRegion("mars-1")) { try GenesysEnvironment(region: "mars-1") }
    }

    @Test func plainHTTPIsForLoopbackOnly() throws {
        _ = try GenesysEnvironment(apiBase: "http://127.0.0.1:8080", loginBase: "http://localhost:8080/")
        _ = try GenesysEnvironment(apiBase: "http://[::1]:8080", loginBase: "https://login.example.com")
        #expect(throws: EnvironmentError.insecureURL("http://api.example.com")) {
            try GenesysEnvironment(apiBase: "http://api.example.com", loginBase: "https://login.example.com")
        }
        #expect(throws: EnvironmentError.invalidURL("ftp://x")) {
            try GenesysEnvironment(apiBase: "ftp://x", loginBase: "https://login.example.com")
        }
    }

    /// Loopback is parsed, not prefix-matched: a name that starts with `127.` is any host on the internet.
    @Test(arguments: [
        ("127.0.0.1", true), ("127.8.9.10", true), ("[::1]", true), ("::1", true), ("localhost", true),
        ("LOCALHOST", true), ("[::ffff:127.0.0.1]", true), ("127.evil.example", false),
        ("127.0.0.1.nip.io", false), ("localhost.evil.example", false), ("0x7f.0.0.1", false), ("127.1", false),
        ("128.0.0.1", false), ("[::2]", false), ("0.0.0.0", false), ("", false),
    ])
    func loopbackIsAnAddressNotAPrefix(host: String, loopback: Bool) {
        #expect(GenesysEnvironment.isLoopback(host) == loopback)
    }

    @Test func theSecretNeverShowsInDescriptions() {
        let credentials = ClientCredentials(clientID: "id-123", clientSecret: "s3cr3t")
        #expect(!"\(credentials)".contains("s3cr3t"))
        #expect(!String(reflecting: credentials).contains("s3cr3t"))
    }
}
