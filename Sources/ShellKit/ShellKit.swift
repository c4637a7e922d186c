// ShellKit: line input, tokenizer, command registry, plugin protocol, session, output formats,
// redirection, runbook runner and recorder (DESIGN.md "Shell contract"). Knows nothing about Genesys.
