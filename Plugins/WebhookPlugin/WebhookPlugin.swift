// WebhookPlugin: shell commands contributed to campaignsh; see DESIGN.md "Layout".
