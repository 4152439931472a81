package dev.reverso.report;

import java.util.List;

/**
 * What one run (up, down, start, complete, rollback) did, as its report shows it: each migration
 * and step with the lock the classifier gave it and how long it took, what the monitor saw, the
 * checks around the run, the way back, and after a failure the postmortem. Times are ISO-8601
 * text, so the JSON form needs no date module.
 *
 * @param run the run's name: {@code <timestamp>_<command>[_<versions>]}, the report files' stem
 * @param database the database as {@code name on host:port}, without credentials
 * @param error the error the run stopped with, or null
 * @param preflight the preflight's items as lines, empty when none ran
 * @param verify verify's checks and problems as lines, empty when none ran
 * @param postmortem only for a failed run
 */
public record RunReport(String run, String command, String database, String startedAt, String finishedAt, long durationMs,
                        Outcome outcome, String error, List<MigrationRun> migrations, Monitoring monitor, List<String> warnings,
                        List<String> preflight, List<String> verify, RollbackPath rollback, Postmortem postmortem) {

    public RunReport {
        migrations = List.copyOf(migrations);
        warnings = List.copyOf(warnings);
        preflight = List.copyOf(preflight);
        verify = List.copyOf(verify);
    }

    /** How the run ended. */
    public enum Outcome {
        SUCCEEDED, NOTHING_TO_DO, STOPPED_BY_PREFLIGHT, VERIFY_FAILED,
        /** Refused before anything ran: bad input, the database unreachable, the runner lock held, a loss refused. */
        REFUSED,
        /** A migration failed or the monitor stopped the run (exit 5). */
        FAILED;

        /** As a sentence fragment: "succeeded", "stopped by preflight". */
        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    /** The versions the run touched, in the order it touched them. */
    public List<String> versions() {
        return migrations.stream().map(MigrationRun::version).distinct().toList();
    }

    /**
     * One migration in one direction.
     *
     * @param outcome done, or failed (the run stopped inside it)
     * @param durationMs as the runner measured it (an operation migration's phase: its steps'), or null when it failed
     * @param notes lock retries, archives, restores, backfill progress, in order
     */
    public record MigrationRun(String version, String name, String direction, boolean transactional, String outcome,
                               Long durationMs, List<StepRun> steps, List<String> notes) {
        public MigrationRun {
            steps = List.copyOf(steps);
            notes = List.copyOf(notes);
        }
    }

    /**
     * One statement (or operation step) of a migration.
     *
     * @param lock the lock its classification says it takes; empty for an operation migration's step
     * @param durationMs from its start to the next step's (or the migration's end), its commit included
     * @param attempts how often it was started: more than one after lock-timeout retries
     * @param failed whether the run stopped at it
     */
    public record StepRun(int step, int of, String statement, String lock, long durationMs, int attempts, boolean failed) {
    }

    /**
     * What the live monitor saw.
     *
     * @param maxBlockingMs the longest a session waited on the migration, over all samples
     * @param maxLagMs the worst replica lag seen
     * @param actions the threshold actions, as the monitor described them
     */
    public record Monitoring(int samples, long maxBlockingMs, String maxBlockingBy, long maxLagMs, String laggingReplica,
                             List<String> actions) {
        public Monitoring {
            actions = List.copyOf(actions);
        }
    }

    /**
     * How what the run did can be taken back, and for how long.
     *
     * @param how the command that takes it back
     * @param archives what the run's destructive steps archived, one line each
     * @param snapshots the snapshots taken by the run, one line each
     * @param verdict the down plan's verdict for what was applied, or why there is none
     * @param openUntil how long the path stays open
     */
    public record RollbackPath(String how, List<String> archives, List<String> snapshots, String verdict, String openUntil) {
        public RollbackPath {
            archives = List.copyOf(archives);
            snapshots = List.copyOf(snapshots);
        }
    }

    /**
     * The draft a failed run leaves for its postmortem.
     *
     * @param timeline the run's audit rows, oldest first, one line each
     * @param failingStep the step the run stopped at, or what it was doing
     * @param stateLeft each migration that is not clean, with its state
     * @param repairOptions the commands that apply to that state, each with what it does
     */
    public record Postmortem(List<String> timeline, String failingStep, String error, List<String> stateLeft,
                             List<String> repairOptions) {
        public Postmortem {
            timeline = List.copyOf(timeline);
            stateLeft = List.copyOf(stateLeft);
            repairOptions = List.copyOf(repairOptions);
        }
    }
}
