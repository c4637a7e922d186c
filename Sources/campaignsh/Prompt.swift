import CampaignControl
import ShellKit

/// The prompt: the org (its profile, `sandbox`, or the region and client of an environment setup), the
/// current campaign, and the modes that change what a line does: `sandbox:Q4_Promo_East [dry-run] [rec]> `.
enum Prompt {
    static func text(org: OrgSession, session: ShellSession, recorder: Recorder, color: Bool) async -> String {
        let settings = await org.settings
        let name = TerminalText.escaped(settings?.orgName ?? "no org")
        let campaign = (await org.current?.name).map { TerminalText.escaped($0) }
        var modes: [String] = []
        if await session.dryRun { modes.append("[dry-run]") }
        if await recorder.path != nil { modes.append("[rec]") }
        let suffix = modes.isEmpty ? "" : " " + modes.joined(separator: " ")
        guard color else { return name + (campaign.map { ":" + $0 } ?? "") + suffix + "> " }
        // \u{1}…\u{2} tell libedit the escape sequences take no room on screen.
        func paint(_ text: String, _ code: String) -> String { "\u{1}\u{1B}[\(code)m\u{2}\(text)\u{1}\u{1B}[0m\u{2}" }
        return paint(name, "36") + (campaign.map { ":" + paint($0, "33") } ?? "") + paint(suffix, "35") + "> "
    }
}
