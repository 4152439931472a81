package dev.reverso.report;

import dev.reverso.Event;
import dev.reverso.PreflightReport;
import dev.reverso.archive.Snapshot;
import dev.reverso.monitor.Replica;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps what a run reports through its events, for the run's report, and passes every event on
 * to the listener it wraps. The monitor's events come from its own thread, so every method is
 * synchronized.
 */
public final class RunRecorder implements Event.Listener {

    private final Event.Listener next;
    private final Instant startedAt = Instant.now();
    private final Map<String, Migration> migrations = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> actions = new ArrayList<>();
    private final List<Snapshot> snapshots = new ArrayList<>();
    private Migration current;
    private PreflightReport preflight;
    private int samples;
    private Duration maxBlocking = Duration.ZERO;
    private String maxBlockingBy;
    private Duration maxLag = Duration.ZERO;
    private String laggingReplica;

    public RunRecorder(Event.Listener next) {
        this.next = next;
    }

    @Override
    public void on(Event event) {
        record(event);
        next.on(event);
    }

    private synchronized void record(Event event) {
        long now = System.nanoTime();
        if (event instanceof Event.MigrationStarting e) {
            current = new Migration(e.version(), e.name(), e.direction().dbValue(), e.transactional());
            migrations.put(e.version() + " " + e.direction().dbValue(), current);
        } else if (event instanceof Event.StatementStarting e) {
            migration(e.version()).step(e.step(), e.of(), e.summary(), e.lock(), now);
        } else if (event instanceof Event.PhaseStep e) {
            migration(e.version(), e.phase()).step(e.step(), e.of(), e.phase() + ": " + e.what(), "", now);
        } else if (event instanceof Event.MigrationFinished e) {
            Migration m = migration(e.version());
            m.finish(now);
            m.durationMs = e.durationMs();
        } else if (event instanceof Event.LockRetry e) {
            migration(e.version()).notes.add("lock timeout after " + e.lockTimeout().toMillis() + " ms on " + e.summary()
                    + "; try " + (e.attempt() + 1) + " after " + e.sleep().toMillis() + " ms");
        } else if (event instanceof Event.BackfillProgress e && e.done()) {
            migration(e.version()).notes.add("backfilled " + e.table() + ": " + e.rows() + " rows");
        } else if (event instanceof Event.Archived e) {
            migration(e.version()).notes.add("archived before step " + e.step() + ": " + e.what());
        } else if (event instanceof Event.Restored e) {
            migration(e.version()).notes.add("restored: " + e.note());
        } else if (event instanceof Event.SnapshotTaken e) {
            snapshots.add(e.snapshot());
        } else if (event instanceof Event.MonitorSample e) {
            sample(e.sample());
        } else if (event instanceof Event.ThresholdReached e) {
            actions.add(e.action().describe());
        } else if (event instanceof Event.PreflightDone e) {
            preflight = e.report();
        } else if (event instanceof Event.Warning e) {
            warnings.add(e.message());
        }
    }

    private void sample(dev.reverso.monitor.Sample s) {
        samples++;
        Duration wait = s.longestWait();
        if (wait.compareTo(maxBlocking) > 0) {
            maxBlocking = wait;
            maxBlockingBy = s.waiters().stream().filter(w -> w.waited().equals(wait)).findFirst()
                    .map(dev.reverso.monitor.Sample.Waiter::describe).orElse(null);
        }
        Replica worst = s.worstReplica();
        if (worst != null && worst.lag().compareTo(maxLag) > 0) {
            maxLag = worst.lag();
            laggingReplica = worst.name();
        }
    }

    private Migration migration(String version) {
        return migration(version, "up");
    }

    /**
     * The migration an event names: the current one, or one seen before; an operation migration's
     * phase steps come without MigrationStarting, so the first names it, with the phase as its direction.
     */
    private Migration migration(String version, String direction) {
        if (current != null && current.version.equals(version)) {
            return current;
        }
        return migrations.values().stream().filter(m -> m.version.equals(version)).reduce((a, b) -> b).orElseGet(() -> {
            current = new Migration(version, "", direction, false);
            migrations.put(version + " " + direction, current);
            return current;
        });
    }

    /** When the recorder was made: the run's start. */
    public Instant startedAt() {
        return startedAt;
    }

    /**
     * The migrations so far. With {@code failed}, the one left unfinished is marked failed at its
     * last step; without, the run returned, so each finished (an operation migration's phase sends
     * no MigrationFinished: its duration is its steps').
     */
    public synchronized List<RunReport.MigrationRun> migrations(boolean failed) {
        long now = System.nanoTime();
        return migrations.values().stream().map(m -> m.toRun(failed, now)).toList();
    }

    public synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    public synchronized List<Snapshot> snapshots() {
        return List.copyOf(snapshots);
    }

    /** The preflight the run made, or null. */
    public synchronized PreflightReport preflight() {
        return preflight;
    }

    public synchronized RunReport.Monitoring monitoring() {
        return new RunReport.Monitoring(samples, maxBlocking.toMillis(), maxBlockingBy, maxLag.toMillis(), laggingReplica, actions);
    }

    /** A migration being recorded. */
    private static final class Migration {
        final String version;
        final String name;
        final String direction;
        final boolean transactional;
        final Map<Integer, Step> steps = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();
        Step last;
        Long durationMs;
        boolean finished;

        Migration(String version, String name, String direction, boolean transactional) {
            this.version = version;
            this.name = name;
            this.direction = direction;
            this.transactional = transactional;
        }

        /** A step starts; a retried transaction starts its steps again, counted as attempts. */
        void step(int number, int of, String statement, String lock, long now) {
            close(now);
            Step s = steps.computeIfAbsent(number, n -> new Step(number, of, statement, lock));
            s.attempts++;
            s.startedNanos = now;
            s.nanos = 0;
            last = s;
        }

        void finish(long now) {
            close(now);
            last = null;
            finished = true;
        }

        private void close(long now) {
            if (last != null && last.nanos == 0) {
                last.nanos = now - last.startedNanos;
            }
        }

        RunReport.MigrationRun toRun(boolean failedRun, long now) {
            boolean failedHere = failedRun && !finished;
            List<RunReport.StepRun> out = steps.values().stream().map(s -> new RunReport.StepRun(s.number, s.of, s.statement,
                    s.lock, (s.nanos == 0 ? now - s.startedNanos : s.nanos) / 1_000_000, s.attempts, failedHere && s == last)).toList();
            Long ms = durationMs != null || failedHere ? durationMs
                    : Long.valueOf(out.stream().mapToLong(RunReport.StepRun::durationMs).sum());
            return new RunReport.MigrationRun(version, name, direction, transactional, failedHere ? "failed" : "done", ms, out, notes);
        }
    }

    /** A step being recorded. */
    private static final class Step {
        final int number;
        final int of;
        final String statement;
        final String lock;
        int attempts;
        long startedNanos;
        long nanos;

        Step(int number, int of, String statement, String lock) {
            this.number = number;
            this.of = of;
            this.statement = statement;
            this.lock = lock;
        }
    }
}
