// CampaignControl: the lifecycle model, transition engine, pre-flight checks, archive and bulk runner
// (DESIGN.md "Lifecycle model", "Transition pipeline"). Built by the lifecycle-engine issue.
