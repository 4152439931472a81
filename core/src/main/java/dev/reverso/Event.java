package dev.reverso;

import dev.reverso.history.LockHolder;

import java.time.Duration;
import java.util.List;

/**
 * What the library reports while it works. It never prints; a caller that wants to show progress
 * passes a {@link Listener} in the config and renders these.
 */
public sealed interface Event {

    /** A run of {@code up} or {@code down} is about to run this many migrations. */
    record RunStarting(Direction direction, int migrations) implements Event {
    }

    /** A migration is about to run in one direction. */
    record MigrationStarting(String version, String name, Direction direction, boolean transactional,
                             int statements) implements Event {
    }

    /**
     * A statement is about to run; step counts from 1.
     *
     * @param lock the lock the classifier says it takes, as {@code ACCESS EXCLUSIVE on t}, or empty when not known
     */
    record StatementStarting(String version, int step, int of, String summary, String lock) implements Event {

        /** A statement whose lock is not known. */
        public StatementStarting(String version, int step, int of, String summary) {
            this(version, step, of, summary, "");
        }
    }

    /** A statement hit lock_timeout; everything since the last commit was rolled back and will be tried again. */
    record LockRetry(String version, String summary, int attempt, Duration lockTimeout, Duration sleep,
                     List<LockHolder> blockers) implements Event {
    }

    /** A step of an operation migration's phase (start, complete, rollback) is about to run; step counts from 1. */
    record PhaseStep(String version, String phase, int step, int of, String what) implements Event {
    }

    /**
     * A backfill batch committed.
     *
     * @param rows rows filled so far, including those of an interrupted earlier start
     * @param estimate the table's row estimate (pg_class.reltuples), or -1 when unknown
     * @param rowsPerSecond the rate of this run so far
     * @param done whether this was the last batch
     */
    record BackfillProgress(String version, String table, long rows, long estimate, double rowsPerSecond, boolean done)
            implements Event {
    }

    /** A migration finished in one direction. */
    record MigrationFinished(String version, String name, Direction direction, long durationMs) implements Event {
    }

    /** A step's data was preserved in the archive before the step destroyed it. */
    record Archived(String version, int step, String what) implements Event {
    }

    /** A rollback put archived data back, or says what it could not put back. */
    record Restored(String version, String note) implements Event {
    }

    /** A snapshot was taken before a run ({@code up --snapshot}), before anything ran. */
    record SnapshotTaken(dev.reverso.archive.Snapshot snapshot) implements Event {
    }

    /**
     * What the live monitor saw, about once a second, on its own thread (see
     * {@link dev.reverso.monitor.Monitor}).
     */
    record MonitorSample(dev.reverso.monitor.Sample sample) implements Event {
    }

    /** The monitor acted on a threshold: it stopped the run, or paused or resumed it. Sent on the monitor's or the run's thread. */
    record ThresholdReached(dev.reverso.monitor.ThresholdAction action) implements Event {
    }

    /** Something the user should know that does not stop the run. */
    record Warning(String message) implements Event {
    }

    /** The preflight a run made before changing anything; a failed one stops the run. */
    record PreflightDone(String command, PreflightReport report) implements Event {
    }

    /** Which way a migration runs. */
    enum Direction {
        UP, DOWN;

        /** The value stored in the step journal. */
        public String dbValue() {
            return this == UP ? "up" : "down";
        }
    }

    /**
     * Receives events as they happen, on the thread doing the work; {@link MonitorSample} and the
     * monitor's {@link ThresholdReached} come from the monitor's own thread, so a listener that
     * keeps state must accept calls from two threads.
     */
    @FunctionalInterface
    interface Listener {
        void on(Event event);

        /** A listener that ignores everything. */
        static Listener none() {
            return event -> { };
        }
    }
}
