import CampaignControl

/// The prompt: the profile (or `sandbox`) and the current campaign, e.g. `sandbox:Q4_Promo_East> `.
enum Prompt {
    static func text(org: OrgSession, color: Bool) async -> String {
        let settings = await org.settings
        let profile = settings.map { $0.profile ?? "env" } ?? "no org"
        let campaign = await org.current?.name
        guard color else { return profile + (campaign.map { ":" + $0 } ?? "") + "> " }
        // \u{1}…\u{2} tell libedit the escape sequences take no room on screen.
        func paint(_ text: String, _ code: String) -> String { "\u{1}\u{1B}[\(code)m\u{2}\(text)\u{1}\u{1B}[0m\u{2}" }
        return paint(profile, "36") + (campaign.map { ":" + paint($0, "33") } ?? "") + "> "
    }
}
