import Foundation
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

    /// The campaign `wanted` names: its id; else the campaign with that name; else the only one the name
    /// matches as a ``NamePattern`` (a substring, or a glob with `*` and `?`; case and accents ignored).
    public func resolve(_ wanted: String) async throws -> Campaign {
        if Self.looksLikeID(wanted) {
            do {
                return try await client.campaign(id: wanted)
            } catch let error as GenesysError where error.status == 404 {
                // Not an id after all: try it as a name.
            }
        }
        let pattern = NamePattern(wanted)
        let candidates = try await client.campaigns().filter { pattern.matches($0.name) }
        if let exact = candidates.first(where: { pattern.isExactly($0.name) }) { return exact }
        if candidates.count == 1 { return candidates[0] }
        if candidates.count > 1 { throw Failure.ambiguous(wanted, matches: candidates.compactMap(\.name).sorted()) }
        throw Failure.notFound(wanted)
    }

    /// Genesys ids are UUIDs.
    static func looksLikeID(_ text: String) -> Bool {
        text.count == 36 && text.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12]
            && text.allSatisfy { $0.isHexDigit || $0 == "-" }
    }
}

extension [Campaign] {
    /// The campaigns whose name matches `name` (a ``NamePattern``) and whose queue is `queue` (id or
    /// name); a filter left nil keeps every campaign.
    public func matching(name: String?, queue: String?) -> [Campaign] {
        let pattern = name.map(NamePattern.init)
        return filter { campaign in
            (pattern?.matches(campaign.name) ?? true)
                && (queue.map { $0 == campaign.queue?.id || $0 == campaign.queue?.name } ?? true)
        }
    }
}

/// How the shell matches a campaign name everywhere (`use`, `--name`, bulk selections): a pattern with `*`
/// or `?` is a glob over the whole name, anything else a part of it; case and accents never matter, so
/// `reac` finds `Réactivation_Clients`. Matched here rather than by the API's `filterType`, whose case and
/// accent rules are not documented.
public struct NamePattern: Sendable {
    private let folded: [Character]
    private let isGlob: Bool

    public init(_ pattern: String) {
        folded = Array(Self.fold(pattern))
        isGlob = pattern.contains("*") || pattern.contains("?")
    }

    public func matches(_ name: String?) -> Bool {
        guard let name else { return false }
        let candidate = Array(Self.fold(name))
        return isGlob ? Self.glob(folded[...], candidate[...]) : candidate.contains(folded)
    }

    /// Whether `name` is the pattern itself (case and accents aside).
    public func isExactly(_ name: String?) -> Bool {
        !isGlob && name.map { Array(Self.fold($0)) == folded } == true
    }

    private static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    /// `*` any run of characters, `?` one character, the rest literally; over the whole name.
    private static func glob(_ pattern: ArraySlice<Character>, _ name: ArraySlice<Character>) -> Bool {
        guard let first = pattern.first else { return name.isEmpty }
        switch first {
        case "*":
            let rest = pattern.dropFirst()
            return name.indices.contains { glob(rest, name[$0...]) } || glob(rest, name[name.endIndex...])
        case "?":
            return !name.isEmpty && glob(pattern.dropFirst(), name.dropFirst())
        default:
            return name.first == first && glob(pattern.dropFirst(), name.dropFirst())
        }
    }
}

extension Array where Element == Character {
    fileprivate func contains(_ part: [Character]) -> Bool {
        guard !part.isEmpty else { return true }
        guard part.count <= count else { return false }
        return (0...(count - part.count)).contains { self[$0..<($0 + part.count)].elementsEqual(part) }
    }
}
