package dev.reverso;

import dev.reverso.archive.Archiving;
import dev.reverso.engine.RetryPolicy;
import dev.reverso.monitor.MonitorSettings;
import dev.reverso.ops.BackfillSettings;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a {@link Reverso} needs to know. Build one with {@link #of(DatabaseUrl, Path)} and
 * the {@code with...} methods.
 *
 * @param url the target database
 * @param dir the migrations folder
 * @param schema the schema Reverso keeps its state in
 * @param retry how statements wait for locks
 * @param statementTimeout statement_timeout for migration statements; zero for none
 * @param runnerLockWait how long to wait for another runner before giving up
 * @param applicationName the application_name Reverso's sessions show in pg_stat_activity
 * @param actor who is acting, recorded in the audit trail
 * @param listener receives progress events
 * @param targetSchema the schema operation migrations change, whose versions they present
 * @param backfill how operation migrations backfill existing rows
 * @param monitor how the live monitor samples during a run, and its thresholds
 * @param archive how much of what destructive up steps destroy is preserved in the archive schema first
 */
public record ReversoConfig(DatabaseUrl url, Path dir, String schema, RetryPolicy retry, Duration statementTimeout,
                            Duration runnerLockWait, String applicationName, String actor, Event.Listener listener,
                            String targetSchema, BackfillSettings backfill, MonitorSettings monitor, Archiving archive) {

    /** A config with the defaults: schema {@code reverso}, {@link RetryPolicy#defaults()}, 10 s runner wait. */
    public static ReversoConfig of(DatabaseUrl url, Path dir) {
        return new ReversoConfig(url, dir, "reverso", RetryPolicy.defaults(), Duration.ZERO, Duration.ofSeconds(10),
                "reverso", defaultActor(), Event.Listener.none(), "public", BackfillSettings.defaults(), MonitorSettings.defaults(), Archiving.BOUNDED);
    }

    private static String defaultActor() {
        String host = System.getenv("HOSTNAME");
        if (host == null) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "unknown-host";
            }
        }
        return System.getProperty("user.name", "unknown") + "@" + host;
    }

    public ReversoConfig withSchema(String s) {
        return new ReversoConfig(url, dir, s, retry, statementTimeout, runnerLockWait, applicationName, actor, listener, targetSchema, backfill, monitor, archive);
    }

    public ReversoConfig withRetry(RetryPolicy r) {
        return new ReversoConfig(url, dir, schema, r, statementTimeout, runnerLockWait, applicationName, actor, listener, targetSchema, backfill, monitor, archive);
    }

    public ReversoConfig withStatementTimeout(Duration d) {
        return new ReversoConfig(url, dir, schema, retry, d, runnerLockWait, applicationName, actor, listener, targetSchema, backfill, monitor, archive);
    }

    public ReversoConfig withRunnerLockWait(Duration d) {
        return new ReversoConfig(url, dir, schema, retry, statementTimeout, d, applicationName, actor, listener, targetSchema, backfill, monitor, archive);
    }

    public ReversoConfig withApplicationName(String name) {
        return new ReversoConfig(url, dir, schema, retry, statementTimeout, runnerLockWait, name, actor, listener, targetSchema, backfill, monitor, archive);
    }

    public ReversoConfig withActor(String a) {
        return new ReversoConfig(url, dir, schema, retry, statementTimeout, runnerLockWait, applicationName, a, listener, targetSchema, backfill, monitor, archive);
    }

    public ReversoConfig withListener(Event.Listener l) {
        return new ReversoConfig(url, dir, schema, retry, statementTimeout, runnerLockWait, applicationName, actor, l, targetSchema, backfill, monitor, archive);
    }

    public ReversoConfig withTargetSchema(String s) {
        return new ReversoConfig(url, dir, schema, retry, statementTimeout, runnerLockWait, applicationName, actor, listener, s,
                backfill, monitor, archive);
    }

    public ReversoConfig withBackfill(BackfillSettings b) {
        return new ReversoConfig(url, dir, schema, retry, statementTimeout, runnerLockWait, applicationName, actor, listener,
                targetSchema, b, monitor, archive);
    }

    public ReversoConfig withMonitor(MonitorSettings m) {
        return new ReversoConfig(url, dir, schema, retry, statementTimeout, runnerLockWait, applicationName, actor, listener,
                targetSchema, backfill, m, archive);
    }

    /** Cancel the migration's statement, stopping the run, when a session has waited on it this long; zero for never. */
    public ReversoConfig withMaxBlocking(Duration d) {
        return withMonitor(monitor.withMaxBlocking(d));
    }

    /** Hold back backfill batches and migrations while a replica lags more than this; zero for never. */
    public ReversoConfig withMaxReplicationLag(Duration d) {
        return withMonitor(monitor.withMaxReplicationLag(d));
    }

    /** Cancel and stop the run when it has taken this long; zero for no limit. */
    public ReversoConfig withMaxDuration(Duration d) {
        return withMonitor(monitor.withMaxDuration(d));
    }

    /** How much of the data up steps destroy is preserved in the archive schema first (BOUNDED by default). */
    public ReversoConfig withArchive(Archiving a) {
        return new ReversoConfig(url, dir, schema, retry, statementTimeout, runnerLockWait, applicationName, actor, listener,
                targetSchema, backfill, monitor, a);
    }
}
