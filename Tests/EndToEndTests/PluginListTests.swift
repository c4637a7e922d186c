import ArgumentParser
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
