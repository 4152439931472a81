package dev.reverso.history;

import java.time.Instant;

/** One row of the audit trail: who did what, when, and how it ended. */
public record AuditEntry(long id, Instant at, String actor, String dbUser, String action, String version,
                         String outcome, String detail) {
}
