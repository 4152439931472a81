package dev.reverso.monitor;

import dev.reverso.Database;
import dev.reverso.Event;
import dev.reverso.ReversoException;
import dev.reverso.engine.RunGuard;
import dev.reverso.history.AuditLog;
import dev.reverso.history.LockHolder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live monitor of a run: on its own connection and its own daemon thread, about once a second,
 * it looks at who the migration waits on, who waits on the migration and for how long, the
 * replicas' lag and logical slots, and the progress of an index build or a backfill. Each
 * {@link Sample} goes to the listener; what is notable (a session blocking or blocked, a replica
 * lagging, each action) goes to the audit log once, not every second.
 *
 * <p>It acts on the {@link MonitorSettings thresholds}: a session waiting on the migration longer
 * than {@code maxBlocking}, or a run longer than {@code maxDuration}, makes it cancel the
 * migration's statement (pg_cancel_backend) and stop the run, which then rolls back its
 * transaction. It never retries: see {@link dev.reverso.engine.LockTimeoutRetry}. While a replica
 * lags more than {@code maxReplicationLag}, the run waits at its next safe point (before a
 * migration, a phase step or a backfill batch), where it holds no lock.
 *
 * <p>It never slows the migration down: its queries are small catalog reads under a short
 * statement_timeout, on a connection the migration does not share, and pg_blocking_pids is asked
 * only for sessions already waiting on a lock. Close it in a finally block: that stops the thread
 * and closes its connection.
 */
public final class Monitor implements RunGuard, AutoCloseable {

    private static final String APPLICATION = "reverso-monitor";

    private final int pid;
    private final MonitorSettings settings;
    private final Event.Listener listener;
    private final AuditLog audit;
    private final long startNanos = System.nanoTime();
    private final Object samples = new Object();
    private final AtomicReference<Event.BackfillProgress> backfill = new AtomicReference<>();
    private final AtomicReference<String> version = new AtomicReference<>();
    private final Queue<AuditLog.Note> notes = new ConcurrentLinkedQueue<>();
    private final Set<String> noted = new HashSet<>();
    private final Connection connection;
    private final Thread thread;
    private volatile ThresholdAction verdict;
    private volatile boolean closed;
    private Sample latest;
    private long latestNanos;

    private Monitor(int pid, MonitorSettings settings, Event.Listener listener, AuditLog audit, Connection connection) {
        this.pid = pid;
        this.settings = settings;
        this.listener = listener;
        this.audit = audit;
        this.connection = connection;
        this.thread = connection == null ? null : new Thread(this::loop, "reverso-monitor-" + pid);
    }

    /**
     * Starts monitoring the migration session {@code migrationPid}. With the monitor off, or when
     * its connection cannot be opened and no threshold is set (a warning says so), returns a
     * monitor that watches nothing.
     *
     * @throws ReversoException UNREACHABLE when a threshold is set and the monitor cannot connect:
     *     running without it would silently ignore the threshold
     */
    public static Monitor start(Database database, int migrationPid, MonitorSettings settings, Event.Listener listener,
                                AuditLog audit) {
        if (!settings.enabled()) {
            return new Monitor(migrationPid, settings, listener, audit, null);
        }
        Connection c;
        try {
            c = new Database(database.url(), APPLICATION).connect();
            try (Statement st = c.createStatement()) {
                // Its own writes (audit rows) never wait for a synchronous replica; its reads never run long.
                st.execute("set statement_timeout = " + settings.queryTimeout().toMillis() + "; set lock_timeout = "
                        + settings.queryTimeout().toMillis() + "; set synchronous_commit = local");
            }
        } catch (ReversoException | SQLException e) {
            if (settings.hasThresholds()) {
                throw new ReversoException(ReversoException.Kind.UNREACHABLE, "the monitor needs a connection of its own to"
                        + " enforce --max-blocking, --max-replication-lag and --max-duration: " + e.getMessage(), e);
            }
            listener.on(new Event.Warning("monitor off for this run: " + e.getMessage()));
            return new Monitor(migrationPid, settings, listener, audit, null);
        }
        Monitor m = new Monitor(migrationPid, settings, listener, audit, c);
        m.thread.setDaemon(true);
        m.thread.start();
        return m;
    }

    /** A listener that passes every event on, noting the backfill's progress and the version running for the samples. */
    public Event.Listener tap(Event.Listener downstream) {
        return event -> {
            if (event instanceof Event.BackfillProgress p) {
                backfill.set(p.done() ? null : p);
            } else if (event instanceof Event.MigrationStarting s) {
                version.set(s.version());
            } else if (event instanceof Event.PhaseStep s) {
                version.set(s.version());
            }
            downstream.on(event);
        };
    }

    /** The action that stopped the run, if the monitor stopped it. */
    public Optional<ThresholdAction> verdict() {
        return Optional.ofNullable(verdict);
    }

    @Override
    public void check() throws SQLException {
        ThresholdAction v = verdict;
        if (v != null) {
            throw new SQLException(v.describe(), RunGuard.STOPPED);
        }
    }

    @Override
    public void pace(String next) throws SQLException {
        check();
        Duration limit = settings.maxReplicationLag();
        if (limit.isZero() || thread == null) {
            return;
        }
        ThresholdAction.Paused paused = null;
        long pausedAt = 0;
        Replica worst;
        synchronized (samples) {
            while ((worst = lagging(limit)) != null) {
                if (paused == null) {
                    paused = new ThresholdAction.Paused(worst.name(), worst.lag(), limit, next);
                    pausedAt = System.nanoTime();
                    acted(paused);
                }
                try {
                    samples.wait(settings.interval().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while paused for replication lag", e);
                }
                check();
            }
        }
        if (paused != null) {
            Sample last = latestSample();
            Replica r = last == null ? null : last.worstReplica();
            acted(new ThresholdAction.Resumed(Duration.ofNanos(System.nanoTime() - pausedAt), r == null ? Duration.ZERO : r.lag()));
        }
    }

    /** The replica lagging more than the limit in a fresh sample, or null; a stale sample pauses nothing. */
    private Replica lagging(Duration limit) {
        if (closed || latest == null || System.nanoTime() - latestNanos > 3 * settings.interval().toNanos() + 1_000_000_000L) {
            return null;
        }
        Replica worst = latest.worstReplica();
        return worst != null && worst.lag().compareTo(limit) > 0 ? worst : null;
    }

    private Sample latestSample() {
        synchronized (samples) {
            return latest;
        }
    }

    private void loop() {
        int failures = 0;
        try {
            Sampler sampler = new Sampler(connection, pid);
            while (!closed) {
                Duration next = settings.interval();
                try {
                    Sample s = sampler.sample(elapsed(), backfill.get());
                    synchronized (samples) {
                        latest = s;
                        latestNanos = System.nanoTime();
                        samples.notifyAll();
                    }
                    tell(new Event.MonitorSample(s));
                    note(s);
                    act(s);
                    next = untilNextLook(s);
                    failures = 0;
                } catch (SQLException e) {
                    if (failures++ == 0) {
                        tell(new Event.Warning("monitor: a sample failed (" + Database.serverMessage(e) + "); it keeps trying"));
                    }
                }
                writeNotes();
                rest(next);
            }
        } catch (SQLException e) {
            tell(new Event.Warning("monitor stopped: " + Database.serverMessage(e)));
        } finally {
            writeNotes();
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing is all that is left to do; the server ends the session either way.
            }
        }
    }

    /** Sooner than the interval when a threshold will be crossed before it, so the action is not a second late. */
    private Duration untilNextLook(Sample s) {
        long next = settings.interval().toMillis();
        if (!settings.maxBlocking().isZero() && !s.waiters().isEmpty()) {
            next = Math.min(next, settings.maxBlocking().minus(s.longestWait()).toMillis() + 10);
        }
        if (!settings.maxDuration().isZero()) {
            next = Math.min(next, settings.maxDuration().minus(s.elapsed()).toMillis() + 10);
        }
        return Duration.ofMillis(Math.max(20, next));
    }

    private void rest(Duration d) {
        synchronized (samples) {
            if (closed) {
                return;
            }
            try {
                samples.wait(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    /** Once per session and per replica crossing: who blocked whom, which replica lagged. */
    private void note(Sample s) {
        for (LockHolder h : s.waitsOn()) {
            once("on:" + h.pid(), "waiting", "the migration waits for " + h.describe()
                    + (h.query() == null ? "" : " running '" + Sample.oneLine(h.query()) + "'"));
        }
        for (Sample.Waiter w : s.waiters()) {
            once("by:" + w.pid(), "blocking", w.describe() + " waits on the migration"
                    + (s.migration() == null ? "" : "'s " + Sample.oneLine(s.migration().query())));
        }
        Duration high = settings.maxReplicationLag().isZero() ? Duration.ofSeconds(10) : settings.maxReplicationLag();
        for (Replica r : s.replicas()) {
            String key = "lag:" + r.name();
            if (r.lag().compareTo(high) > 0) {
                once(key, "replica lag", "replica '" + r.name() + "' is " + Sample.seconds(r.lag()) + " behind ("
                        + r.bytesBehind() + " bytes of WAL not replayed)");
            } else {
                noted.remove(key);
            }
        }
    }

    private void once(String key, String outcome, String detail) {
        if (noted.add(key)) {
            notes.add(new AuditLog.Note("monitor", version.get(), outcome, detail));
        }
    }

    private void act(Sample s) throws SQLException {
        if (verdict != null) {
            return;
        }
        ThresholdAction stop = null;
        if (!settings.maxBlocking().isZero() && s.longestWait().compareTo(settings.maxBlocking()) > 0) {
            stop = new ThresholdAction.Cancelled(s.waiters().get(0), settings.maxBlocking(),
                    s.migration() == null ? null : s.migration().query());
        } else if (!settings.maxDuration().isZero() && s.elapsed().compareTo(settings.maxDuration()) > 0) {
            stop = new ThresholdAction.Overtime(s.elapsed(), settings.maxDuration(),
                    s.migration() == null || !"active".equals(s.migration().state()) ? null : s.migration().query());
        }
        if (stop == null) {
            return;
        }
        verdict = stop;
        // Once: a second cancel could land on the bookkeeping the run does while it unwinds.
        try (PreparedStatement ps = connection.prepareStatement("select pg_cancel_backend(?)")) {
            ps.setInt(1, pid);
            ps.executeQuery().close();
        }
        synchronized (samples) {
            samples.notifyAll();
        }
        acted(stop);
    }

    private void acted(ThresholdAction action) {
        notes.add(new AuditLog.Note("monitor", version.get(), action.outcome(), action.describe()));
        tell(new Event.ThresholdReached(action));
    }

    private void writeNotes() {
        AuditLog.Note n;
        while ((n = notes.poll()) != null) {
            try {
                audit.record(connection, n.action(), n.version(), n.outcome(), n.detail());
            } catch (SQLException e) {
                tell(new Event.Warning("monitor: could not write to the audit log: " + Database.serverMessage(e)));
            }
        }
    }

    /** A listener that throws must not stop the monitor. */
    private void tell(Event e) {
        try {
            listener.on(e);
        } catch (RuntimeException ignored) {
            // The listener's problem; the monitor keeps its thresholds.
        }
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Stops the thread and closes the connection, writing the audit notes still pending first. */
    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        synchronized (samples) {
            closed = true;
            samples.notifyAll();
        }
        try {
            thread.join(settings.queryTimeout().toMillis() * 4 + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
