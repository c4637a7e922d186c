import ArgumentParser
import ShellKit
import Testing

@testable import campaignsh

@Suite struct PluginListTests {
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
