import CampaignControl
import Testing

/// One rule for campaign names everywhere: a part of the name, or a glob; case and accents aside.
struct NamePatternTests {
    @Test(arguments: [
        ("reac", "Réactivation_Clients", true),
        ("RÉACTIVATION", "reactivation_clients", true),
        ("promo", "Q4_Promo_East", true),
        ("Q4_*East", "Q4_Promo_East", true),
        ("Q4_*East", "Q4_Promo_East_2", false),
        ("Q?_Promo*", "Q4_Promo_West", true),
        ("*", "anything", true),
        ("Collections_?0day", "Collections_30day", true),
        ("Collections_?0day", "Collections_300day", false),
        ("west", "Q4_Promo_East", false),
    ])
    func matches(pattern: String, name: String, expected: Bool) {
        #expect(NamePattern(pattern).matches(name) == expected)
    }

    @Test func anExactNameIsTheNameItselfAsideFromCaseAndAccents() {
        #expect(NamePattern("réactivation_clients").isExactly("Réactivation_Clients"))
        #expect(NamePattern("Reactivation_Clients").isExactly("Réactivation_Clients"))
        #expect(!NamePattern("Réactivation").isExactly("Réactivation_Clients"))
        #expect(!NamePattern("Q4_*").isExactly("Q4_*"))
        #expect(!NamePattern("x").matches(nil))
    }
}
