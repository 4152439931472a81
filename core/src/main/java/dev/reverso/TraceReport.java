package dev.reverso;

import java.util.List;

/**
 * What {@code plan --trace} saw when it ran the pending migrations on a scratch copy of the
 * schema: per statement, the locks it really took and the tables it really rewrote, beside what
 * the classifier and the linter said. Where they disagree, the trace is right.
 *
 * @param scratchDatabase the scratch database used (dropped since)
 * @param migrations the pending migrations, in order
 */
public record TraceReport(String scratchDatabase, List<TracedMigration> migrations) {

    /** Whether any statement's trace disagreed with the static view. */
    public boolean disagrees() {
        return migrations.stream().flatMap(m -> m.statements().stream()).anyMatch(s -> !s.disagreements().isEmpty());
    }

    /**
     * @param traced false when it runs outside a transaction: its statements ran on the copy (so
     *     later migrations see their objects) but their locks could not be observed
     * @param note why it was not traced, or an error that stopped it
     */
    public record TracedMigration(String version, String name, boolean traced, String note, List<TracedStatement> statements) {
    }

    /**
     * @param line where it starts
     * @param sql the statement on one line
     * @param staticLocks what the classifier says it locks, such as {@code ACCESS EXCLUSIVE on users}
     * @param tracedLocks what it took on existing tables, observed in pg_locks
     * @param rewrote tables whose relfilenode changed: rewritten (or truncated)
     * @param findings lint rule ids on this statement
     * @param disagreements where the trace contradicts the classifier or the linter
     * @param error the error the statement raised on the copy, or null
     */
    public record TracedStatement(int line, String sql, List<String> staticLocks, List<String> tracedLocks, List<String> rewrote,
                                  List<String> findings, List<String> disagreements, String error) {
    }
}
