package dev.reverso;

import dev.reverso.history.LockHolder;

import java.util.List;

/**
 * What {@code status} reports.
 *
 * @param database the target, password hidden
 * @param schema Reverso's schema
 * @param migrations every migration of the folder and the database, in version order
 * @param activeRunner the runner holding the lock right now, or null
 * @param expansion the operation migration that is started or part way through a phase, or null
 * @param liveVersions the schemas applications can use right now, newest first: the started
 *                     migration's, the last completed one's, or the target schema itself
 */
public record StatusReport(String database, String schema, List<MigrationStatus> migrations, LockHolder activeRunner,
                           Expansion expansion, List<String> liveVersions) {

    /**
     * An operation migration in progress.
     *
     * @param phase start, started, complete or rollback
     * @param step steps of the phase done
     * @param steps steps the phase has
     * @param current what the next step does, or null when the phase is done
     * @param backfillRows rows the running backfill has filled, 0 when none runs
     * @param backfillEstimate the row estimate of the table being backfilled, or -1
     */
    public record Expansion(String version, String phase, String versionSchema, String previousSchema, int step, int steps,
                            String current, long backfillRows, long backfillEstimate) {
    }

    public long pending() {
        return migrations.stream().filter(m -> m.state() == MigrationStatus.State.PENDING
                || m.state() == MigrationStatus.State.ROLLED_BACK).filter(m -> !m.fileMissing()).count();
    }

    public boolean dirty() {
        return migrations.stream().anyMatch(m -> m.state().dirty());
    }
}
