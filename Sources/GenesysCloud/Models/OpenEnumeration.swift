/// A string enumeration of the Genesys API that tolerates values this client does not know yet.
///
/// The SDKs map unknown enum values to `outdated_sdk_version`; we keep the raw value instead, so a newer
/// server never breaks decoding and the value survives a round trip.
public protocol OpenEnumeration: RawRepresentable<String>, Codable, Hashable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The values documented when this client was written.
    static var knownValues: [Self] { get }
    init(rawValue: String)
}

extension OpenEnumeration {
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public var description: String { rawValue }
    /// Whether this value is one of `knownValues`.
    public var isKnown: Bool { Self.knownValues.contains(self) }
}
