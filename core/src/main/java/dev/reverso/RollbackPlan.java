package dev.reverso;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a rollback will and will not put back, worked out before anything runs: for each migration
 * to roll back, how each step is reversed, how much was written since to the tables it touched,
 * what those writes mean for the rollback, and a verdict.
 *
 * @param verdict the worst verdict of the migrations
 */
public record RollbackPlan(List<Migration> migrations, Verdict verdict) {

    public RollbackPlan {
        migrations = List.copyOf(migrations);
    }

    /** How a rollback stands, from best to worst. */
    public enum Verdict {
        SAFE("safe"),
        SAFE_WITH_RESTORE("safe with restore"),
        DATA_LOSS("data written since would be lost"),
        IMPOSSIBLE("impossible");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        /** Whether a rollback with this verdict needs {@code --accept-loss}. */
        public boolean losesData() {
            return this == DATA_LOSS || this == IMPOSSIBLE;
        }

        static Verdict worst(List<Verdict> verdicts) {
            return verdicts.stream().max(Enum::compareTo).orElse(SAFE);
        }
    }

    /**
     * One migration's rollback.
     *
     * @param appliedAt when it was applied, or null when unknown
     * @param ago       how long ago that was
     * @param derived   true when it has no down and Reverso derived one
     * @param steps     how each step is undone, in the order the rollback runs
     * @param writes    rows written since it was applied, per table it touched
     * @param losses    what the rollback would lose, one line each
     */
    public record Migration(String version, String name, Instant appliedAt, Duration ago, boolean derived, List<Step> steps,
                            List<Writes> writes, List<String> losses, Verdict verdict) {

        public Migration {
            steps = List.copyOf(steps);
            writes = List.copyOf(writes);
            losses = List.copyOf(losses);
        }
    }

    /** How one step is undone. */
    public record Step(Kind kind, String statement, String detail) {
    }

    /** The ways a step can be undone. */
    public enum Kind {
        /** The down's own SQL (or SQL Reverso derived) undoes it. */
        REVERSIBLE,
        /** Its data comes back from the archive. */
        RESTORED,
        /** It cannot be undone. */
        IRREVERSIBLE
    }

    /**
     * Rows written to a table since the migration was applied.
     *
     * @param rows inserted, updated or deleted since; -1 when unknown
     */
    public record Writes(String table, long rows, boolean exists) {
    }

    static RollbackPlan of(List<Migration> migrations) {
        return new RollbackPlan(migrations, Verdict.worst(migrations.stream().map(Migration::verdict).toList()));
    }
}
