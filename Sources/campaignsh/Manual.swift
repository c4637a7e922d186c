import ArgumentParser
import Foundation
import ShellKit

/// `campaignsh --generate-manual`: the man page, made from what `--help` and `help` print (the options'
/// table and each command's configuration), so it never says something they do not.
enum Manual {
    static func page(date: String) -> String {
        let catalog = ShellRunner(plugins: InstalledPlugins.all, session: ShellSession(), components: ShellComponents())
            .catalog
        var lines = [
            ".TH CAMPAIGNSH 1 \"\(date)\" \"campaignsh \(Campaignsh.version)\" \"User Commands\"",
            ".SH NAME", "campaignsh \\- " + roff(Campaignsh.abstract),
            ".SH SYNOPSIS", ".B campaignsh", "[\\fIoptions\\fR] [\\fIscript\\fR]",
            ".SH DESCRIPTION",
        ]
        lines += Campaignsh.discussion.split(separator: "\n").map { roff(String($0)) + "\n.br" }
        lines += [".SH OPTIONS"]
        for (names, value, help) in CommandLineOptions.described {
            let name = roff(names.joined(separator: ", "))
            lines += [".TP", ".B " + name + (value.map { " \\fI" + roff($0) + "\\fR" } ?? ""), roff(help)]
        }
        lines += [
            ".SH COMMANDS", "Inside the shell, or in runbooks; \\fBhelp\\fR \\fIcommand\\fR shows each one's options.",
        ]
        for section in catalog.sections {
            lines += [".SS " + roff(section.name)]
            for command in section.commands {
                let configuration = command.configuration
                lines += [".TP", ".B " + roff(CommandCatalog.name(of: command)), roff(configuration.abstract)]
                if !configuration.discussion.isEmpty { lines += [".br", roff(configuration.discussion)] }
            }
        }
        lines += [
            ".SH FILES",
            ".TP", ".I $XDG_CONFIG_HOME/campaignsh/config.toml", "Profiles of orgs.",
            ".TP", ".I $XDG_DATA_HOME/campaignsh/ORG/audit.sqlite", "The audit trail of each org.",
            ".TP", ".I $XDG_STATE_HOME/campaignsh/history", "The interactive history.",
            ".SH ENVIRONMENT",
            ".B GENESYS_CLIENT_ID\\fR, \\fBGENESYS_CLIENT_SECRET\\fR, \\fBGENESYS_REGION",
            "The org to use, from the environment or a .env file; \\fBPAGER\\fR, \\fBNO_COLOR\\fR.",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text as roff prints it: backslashes and dashes escaped, other than ASCII as `\[uXXXX]`, no line
    /// starting as a request.
    static func roff(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\e"
            case "-": escaped += "\\-"
            case _ where scalar.isASCII: escaped.unicodeScalars.append(scalar)
            default: escaped += "\\[u" + String(format: "%04X", scalar.value) + "]"
            }
        }
        return escaped.hasPrefix(".") || escaped.hasPrefix("'") ? "\\&" + escaped : escaped
    }
}
