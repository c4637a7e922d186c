import GenesysCloud

/// Finds the campaign an operator means by an id, a name, or an unambiguous part of a name.
public struct CampaignResolver: Sendable {
    public let client: GenesysClient

    public init(client: GenesysClient) {
        self.client = client
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notFound(String)
        case ambiguous(String, matches: [String])

        public var description: String {
            switch self {
            case .notFound(let wanted): "no campaign named or with id '\(wanted)'"
            case .ambiguous(let wanted, let matches):
                "'\(wanted)' matches \(matches.count) campaigns: " + matches.prefix(10).joined(separator: ", ")
                    + (matches.count > 10 ? ", …" : "") + "; be more specific"
            }
        }
    }

    /// The campaign `wanted` names: its id; else the campaign with that exact name (ignoring case);
    /// else the only one whose name starts with it; else the only one whose name contains it.
    public func resolve(_ wanted: String) async throws -> Campaign {
        if Self.looksLikeID(wanted) {
            do {
                return try await client.campaign(id: wanted)
            } catch let error as GenesysError where error.status == 404 {
                // Not an id after all: try it as a name.
            }
        }
        for filter in [CampaignQuery.NameFilter.prefix, .contains] {
            let candidates = try await client.campaigns(CampaignQuery(name: wanted, filterType: filter))
            if let exact = candidates.filter({ $0.name?.lowercased() == wanted.lowercased() }).first { return exact }
            if candidates.count == 1 { return candidates[0] }
            if candidates.count > 1 {
                throw Failure.ambiguous(wanted, matches: candidates.compactMap(\.name).sorted())
            }
        }
        throw Failure.notFound(wanted)
    }

    /// Genesys ids are UUIDs.
    static func looksLikeID(_ text: String) -> Bool {
        text.count == 36 && text.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12]
            && text.allSatisfy { $0.isHexDigit || $0 == "-" }
    }
}
