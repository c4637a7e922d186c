import Foundation

/// A `.env` file: the variables a shell would export, for the environment to override.
enum DotEnv {
    /// `KEY=VALUE` lines; `export `, quotes and `#` comments as shells write them.
    static func parse(_ text: String) -> [(String, String)] {
        text.split(whereSeparator: \.isNewline).compactMap { raw in
            var line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "=") else { return nil }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            // A name a shell could export: anything else is not a variable.
            guard let first = key.unicodeScalars.first,
                first == "_" || (first.isASCII && first.properties.isAlphabetic),
                key.unicodeScalars.allSatisfy({
                    $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0)
                })
            else { return nil }
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if let quote = value.first, quote == "\"" || quote == "'",
                let end = value.dropFirst().firstIndex(of: quote)
            {
                // Quoted: what is inside; a comment may follow the closing quote.
                value = String(value[value.index(after: value.startIndex)..<end])
            } else if let comment = value.range(of: " #") {
                value = value[..<comment.lowerBound].trimmingCharacters(in: .whitespaces)
            }
            return (key, value)
        }
    }

    /// Why `directory/.env` puts a secret at risk, if it does: others may read it and it sets a variable
    /// whose name says secret, password or token.
    static func exposedSecret(in directory: URL) -> String? {
        let path = directory.appending(path: ".env").path
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & 0o077 != 0,
            let text = try? String(contentsOfFile: path, encoding: .utf8)
        else { return nil }
        let secrets = parse(text).map(\.0).filter { name in
            ["SECRET", "PASSWORD", "TOKEN"].contains { name.uppercased().contains($0) }
        }
        guard let first = secrets.first else { return nil }
        return
            "\(path) sets \(first) but others can read it (mode \(String(info.st_mode & 0o777, radix: 8))); run chmod 600 on it"
    }

    /// `environment` with the variables of `directory/.env` it lacks; a missing or unreadable file adds none.
    static func merged(into environment: [String: String], from directory: URL) -> [String: String] {
        guard let text = try? String(contentsOfFile: directory.appending(path: ".env").path, encoding: .utf8) else {
            return environment
        }
        var environment = environment
        for (key, value) in parse(text) where environment[key] == nil { environment[key] = value }
        return environment
    }
}
