// AuditStore: the durable, hash-chained audit log on SQLite and its export encoders
// (DESIGN.md "Audit record"). Built by the audit issue.
