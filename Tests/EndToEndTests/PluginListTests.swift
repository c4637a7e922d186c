import ArgumentParser
import Foundation
import ShellKit
import Testing

@testable import campaignsh

@Suite struct PluginListTests {
    /// A person reading `help NAME` sees how the command is typed: every command, subcommands included.
    @Test func everyCommandsHelpHasAnExample() {
        let catalog = ShellRunner(plugins: InstalledPlugins.all, session: ShellSession(), components: ShellComponents())
            .catalog
        func all(_ command: any ParsableCommand.Type) -> [any ParsableCommand.Type] {
            [command] + command.configuration.subcommands.flatMap(all)
        }
        let commands = catalog.sections.flatMap(\.commands).flatMap { all($0) }
        #expect(commands.count > 40)
        let without = commands.filter { !$0.configuration.discussion.contains("Example") }
            .map { $0.configuration.commandName ?? "?" }
        #expect(without.isEmpty, "no example in the help of \(without)")
    }

    /// Tab completes the values an option allows, and file names where a file is named.
    @Test func tabCompletesOptionValuesAndFiles() throws {
        let runner = ShellRunner(plugins: InstalledPlugins.all, session: ShellSession(), components: ShellComponents())
        func complete(_ words: [String], _ partial: String = "") -> [String] {
            runner.catalog.completions(words: words, partial: partial, components: runner.components)
        }
        #expect(complete(["campaigns", "--format"], "j") == ["json", "jsonl"])
        #expect(complete(["pause", "--all", "--status"], "pa") == ["paused", "pausing"])
        #expect(complete(["campaigns", "--status"], "forced") == ["forced_off", "forced_stopping"])
        #expect(
            complete(["activate", "--override"]) == [
                "agents", "capacity", "dnc", "errors", "lines", "list", "sequence",
            ])
        #expect(complete(["audit", "export", "--verb"], "re") == ["recycle", "restore"])
        #expect(complete(["audit", "--outcome"], "dry") == ["dry_run"])
        #expect(complete(["transition", "Q4_Renewals"]) == ["active", "archived", "draft", "paused"])
        let folder = FileManager.default.temporaryDirectory.appending(path: "completion-\(UUID())")
        try FileManager.default.createDirectory(
            at: folder.appending(path: "runbooks"), withIntermediateDirectories: true)
        try Data().write(to: folder.appending(path: "morning.cmds"))
        #expect(complete(["source"], folder.path + "/") == [folder.path + "/morning.cmds", folder.path + "/runbooks/"])
        #expect(complete(["record", "start"], folder.path + "/mo") == [folder.path + "/morning.cmds"])
        let afterRedirect = try #require(CompletionRequest(lineUpToCursor: "audit export > \(folder.path)/run"))
        #expect(
            runner.catalog.completions(for: afterRedirect, components: runner.components) == [
                folder.path + "/runbooks/"
            ])
    }

    @Test func commandNamesAreUniqueAcrossPlugins() {
        let catalog = ShellRunner(plugins: InstalledPlugins.all, session: ShellSession(), components: ShellComponents())
            .catalog
        let commands = catalog.sections.flatMap(\.commands)
        #expect(commands.allSatisfy { $0.configuration.commandName != nil }, "every command sets its commandName")
        let names = commands.flatMap { [CommandCatalog.name(of: $0)] + $0.configuration.aliases }
        let duplicates = Dictionary(grouping: names, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(
            duplicates.isEmpty,
            "command names used twice: \(duplicates); fix the plugins in Sources/campaignsh/InstalledPlugins.swift")
        #expect(names.contains("campaigns") && names.contains("whoami") && names.contains("help"))
    }
}
