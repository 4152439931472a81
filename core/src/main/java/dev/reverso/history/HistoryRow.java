package dev.reverso.history;

import java.time.Instant;

/**
 * One row of {@code reverso.migrations}: what Reverso knows of a migration it ran, including
 * the SQL it ran and the down SQL to take it back, kept so a rollback never depends on files.
 */
public record HistoryRow(String version, String name, String kind, String checksum, MigrationState state,
                         boolean transactional, Instant startedAt, Instant finishedAt, Long durationMs,
                         String appliedBy, String upSql, String downSql, String error, Integer failedStep) {

    public boolean hasDown() {
        return downSql != null;
    }
}
