import CampaignControl
import Foundation
import TOMLKit

/// `config.toml` read with a TOML parser: any valid TOML (comments, quoted and dotted keys, inline tables,
/// every string form) gives the same profiles. A profile is a top-level table, or one under `profiles`:
///
/// ```toml
/// default_profile = "prod"
///
/// [prod]                      # or [profiles.prod], or prod = { region = "…", … }
/// region = "eu-west-1"
/// client_id = "…"
/// client_secret_env = "PROD_GENESYS_SECRET"
/// min_agents = 3
/// ```
///
/// Other top-level values and unknown keys are ignored. Errors name the file (and the line, for a TOML
/// error) and the key, never a value: a value may be a secret.
struct ProfileFile {
    /// Sorted by name: the parser keeps no order of tables.
    var profiles: [OrgConfiguration.Profile] = []
    var defaultProfile: String?
    /// Whether a `client_secret` is written anywhere in the file, which others must then not read.
    var holdsSecret = false

    init(parsing data: Data, path: String) throws(ConfigurationError) {
        let root = try Self.document(data, path: path)
        var profilesByName: [String: OrgConfiguration.Profile] = [:]
        func add(_ table: TOMLTable, named name: String, header: String) throws(ConfigurationError) {
            guard profilesByName[name] == nil else {
                throw ConfigurationError(
                    "\(path): profile '\(name)' is defined twice ([\(name)] and [profiles.\(name)])")
            }
            profilesByName[name] = try Self.profile(table, named: name, header: header, path: path)
        }
        for (key, value) in root {
            switch key {
            case "default_profile":
                guard let name = value.string else {
                    throw ConfigurationError("\(path): default_profile must be a string, not \(Self.kind(of: value))")
                }
                defaultProfile = name
            case "profiles":
                guard let container = value.table else { continue }
                for (name, member) in container {
                    guard let table = member.table else {
                        throw ConfigurationError(
                            "\(path): profiles.\(name) must be a table of settings ([profiles.\(name)]), "
                                + "not \(Self.kind(of: member))")
                    }
                    try add(table, named: name, header: "profiles.\(name)")
                }
            default:
                if let table = value.table { try add(table, named: key, header: key) }
            }
        }
        profiles = profilesByName.values.sorted { $0.name < $1.name }
        holdsSecret = Self.mentionsSecret(root)
    }

    private static func profile(
        _ table: TOMLTable, named name: String, header: String, path: String
    ) throws(ConfigurationError) -> OrgConfiguration.Profile {
        var profile = OrgConfiguration.Profile(name: name)
        for (key, value) in table {
            func text() throws(ConfigurationError) -> String {
                guard let text = value.string else {
                    throw ConfigurationError(
                        "\(path): [\(header)] \(key) must be a string, not \(Self.kind(of: value))")
                }
                return text
            }
            switch key {
            case "region": profile.region = try text()
            case "api_base": profile.apiBase = try text()
            case "login_base": profile.loginBase = try text()
            case "client_id": profile.clientID = try text()
            case "client_secret": profile.clientSecret = try text()
            case "client_secret_env": profile.clientSecretVariable = try text()
            case "min_agents":
                // The string form is what the hand-written parser of earlier versions documented.
                guard let count = value.int ?? value.string.flatMap({ Int($0) }), count >= 0 else {
                    throw ConfigurationError("\(path): [\(header)] min_agents must be a whole number of agents")
                }
                profile.minAgents = count
            default: continue
            }
        }
        return profile
    }

    /// A value's TOML type as a person names it: "an integer", "a table".
    private static func kind(of value: any TOMLValueConvertible) -> String {
        switch value.type {
        case .table: "a table"
        case .array: "an array"
        case .string: "a string"
        case .int: "an integer"
        case .double: "a float"
        case .bool: "a boolean"
        case .date: "a date"
        case .time: "a time"
        case .dateTime: "a date-time"
        }
    }

    private static func mentionsSecret(_ value: any TOMLValueConvertible) -> Bool {
        if let table = value.table {
            return table.contains { key, member in key == "client_secret" || mentionsSecret(member) }
        }
        return value.array?.contains(where: mentionsSecret) ?? false
    }

    /// The parsed document, or the one-line error a person can act on: `path:line:column: what is wrong`.
    private static func document(_ data: Data, path: String) throws(ConfigurationError) -> TOMLTable {
        // TOML is UTF-8; Foundation would either refuse the file without saying where or mend it silently.
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if let bad = lines.firstIndex(where: { String(validating: $0, as: UTF8.self) == nil }) {
            throw ConfigurationError("\(path):\(bad + 1): invalid TOML: not UTF-8 text")
        }
        // The parser reads a C string, which a NUL would silently cut short.
        if let nul = lines.firstIndex(where: { $0.contains(0) }) {
            throw ConfigurationError("\(path):\(nul + 1): invalid TOML: a NUL character")
        }
        // toml++ (under TOMLKit) aborts the process on a table header whose name starts with anything but a
        // key (`[.prod]`, `[= "x"`, `[[ .a]]`) instead of reporting it (found by fuzzing): refused here first.
        for (index, line) in lines.enumerated() {
            let text = String(decoding: line, as: UTF8.self).drop { $0 == " " || $0 == "\t" }
            guard text.hasPrefix("[") else { continue }
            let brackets = text.prefix(while: { $0 == "[" }).count
            let name = text.dropFirst(brackets).drop(while: { $0 == " " || $0 == "\t" })
            guard brackets <= 2, let first = name.first, first.isASCII,
                first.isLetter || first.isNumber || "_-\"'".contains(first)
            else {
                throw ConfigurationError(
                    "\(path):\(index + 1): invalid TOML: a table name starts with a letter, a digit, '_', '-' or a quote"
                )
            }
        }
        do {
            return try TOMLTable(string: String(decoding: data, as: UTF8.self))
        } catch let error as TOMLParseError {
            let position = error.source.begin
            throw ConfigurationError("\(path):\(position.line):\(position.column): \(describe(error.description))")
        } catch {
            throw ConfigurationError("\(path): invalid TOML")
        }
    }

    /// toml++ says `Error while parsing <construct>: <problem>, saw '<text>'`. What it saw, and any other
    /// quoted piece of the document, may be part of a secret: only the tokens it expected are kept.
    static func describe(_ parserMessage: String) -> String {
        var construct = "TOML"
        var problem = Substring(parserMessage)
        let prefix = "Error while parsing "
        if problem.hasPrefix(prefix), let colon = problem.range(of: ": ") {
            construct = String(problem[..<colon.lowerBound].dropFirst(prefix.count))
            problem = problem[colon.upperBound...]
        }
        if let saw = problem.range(of: "saw ") { problem = problem[..<saw.lowerBound] }
        var kept = ""
        var rest = problem
        while let open = rest.firstIndex(of: "'") {
            kept += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "'") else {
                rest = ""
                break
            }
            let token = rest[afterOpen..<close]
            if (1...3).contains(token.count), !token.contains(where: { $0.isLetter || $0.isNumber }) {
                kept += rest[open...close]  // what the grammar expected: ']', '='
            } else if kept.isEmpty {
                kept = "the value"  // '<digits>' is not representable in 64 bits
            } else {
                rest = ""  // a key or a piece of a value: the line and column say where
                break
            }
            rest = rest[rest.index(after: close)...]
        }
        kept += rest
        let trimmed = kept.trimmingCharacters(in: CharacterSet(charactersIn: " ,:;"))
        return trimmed.isEmpty ? "invalid \(construct)" : "invalid \(construct): \(trimmed)"
    }
}
