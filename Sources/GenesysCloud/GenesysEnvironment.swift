import Foundation

/// Where a Genesys Cloud org lives: the API host and the separate login host that issues tokens.
public struct GenesysEnvironment: Sendable, Equatable, CustomStringConvertible {
    /// `https://api.<domain>` for a real region.
    public let apiBase: URL
    /// `https://login.<domain>` for a real region; `/oauth/token` is appended.
    public let loginBase: URL

    /// The environment of a region, named by its key (`eu-west-1`) or its domain (`mypurecloud.ie`).
    public init(region: String) throws(EnvironmentError) {
        let wanted = region.lowercased().trimmingCharacters(in: .whitespaces)
        guard let match = Self.regions.first(where: { $0.key == wanted || $0.domain == wanted }) else {
            throw .unknownRegion(region)
        }
        self.apiBase = URL(string: "https://api.\(match.domain)")!
        self.loginBase = URL(string: "https://login.\(match.domain)")!
    }

    /// Any compatible server. Plain `http` is accepted for loopback hosts only.
    public init(apiBase: String, loginBase: String) throws(EnvironmentError) {
        self.apiBase = try Self.validatedBase(apiBase)
        self.loginBase = try Self.validatedBase(loginBase)
    }

    public var description: String { "api \(apiBase.absoluteString), login \(loginBase.absoluteString)" }

    private static func validatedBase(_ text: String) throws(EnvironmentError) -> URL {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty
        else { throw .invalidURL(text) }
        switch scheme {
        case "https": return url
        case "http" where isLoopback(host): return url
        case "http": throw .insecureURL(text)
        default: throw .invalidURL(text)
        }
    }

    /// Whether `host` is this machine: the only hosts plain `http` may name. A literal loopback address
    /// (`127.0.0.0/8`, `::1`, `::ffff:127.0.0.1`), parsed as an address (`127.evil.example` is a name, not
    /// one), or `localhost` when every address it resolves to is one.
    public static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if let literal = IPAddress(name) { return literal.isLoopback }
        guard name == "localhost" else { return false }
        let resolved = IPAddress.resolve(name)
        return !resolved.isEmpty && resolved.allSatisfy(\.isLoopback)
    }

    /// The 18 public regions (docs/genesys-api.md, "Login and regions"), key and domain.
    public static let regions: [(key: String, domain: String)] = [
        ("us-east-1", "mypurecloud.com"),
        ("us-east-2", "use2.us-gov-pure.cloud"),
        ("us-west-2", "usw2.pure.cloud"),
        ("ca-central-1", "cac1.pure.cloud"),
        ("sa-east-1", "sae1.pure.cloud"),
        ("mx-central-1", "mxc1.pure.cloud"),
        ("eu-west-1", "mypurecloud.ie"),
        ("eu-west-2", "euw2.pure.cloud"),
        ("eu-central-1", "mypurecloud.de"),
        ("eu-central-2", "euc2.pure.cloud"),
        ("eusc-de-east-1", "edee1.eusc-pure.cloud"),
        ("me-central-1", "mec1.pure.cloud"),
        ("ap-south-1", "aps1.pure.cloud"),
        ("ap-northeast-1", "mypurecloud.jp"),
        ("ap-northeast-2", "apne2.pure.cloud"),
        ("ap-northeast-3", "apne3.pure.cloud"),
        ("ap-southeast-1", "apse1.pure.cloud"),
        ("ap-southeast-2", "mypurecloud.com.au"),
    ]
}

public enum EnvironmentError: Error, Equatable, CustomStringConvertible {
    case unknownRegion(String)
    case invalidURL(String)
    case insecureURL(String)

    public var description: String {
        switch self {
        case .unknownRegion(let region):
            "unknown region '\(region)'; use a key such as eu-west-1 or a domain such as mypurecloud.ie"
        case .invalidURL(let url): "'\(url)' is not an http(s) URL with a host"
        case .insecureURL(let url): "'\(url)' uses plain http, which is allowed for loopback addresses only"
        }
    }
}
