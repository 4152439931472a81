package dev.reverso.monitor;

import java.time.Duration;

/**
 * How the live monitor samples and the thresholds it acts on. A zero threshold is off.
 *
 * @param interval how often it samples; zero turns the monitor off
 * @param maxBlocking a session waiting on the migration longer than this makes the monitor cancel
 *     the migration's statement (the run stops, its transaction rolls back)
 * @param maxReplicationLag while a replica lags more than this, backfill batches and migrations
 *     wait before they start
 * @param maxDuration the whole run; beyond it the monitor cancels the statement and stops the run
 * @param queryTimeout statement_timeout of the monitor's own queries
 */
public record MonitorSettings(Duration interval, Duration maxBlocking, Duration maxReplicationLag, Duration maxDuration,
                              Duration queryTimeout) {

    public MonitorSettings {
        for (Duration d : new Duration[] {interval, maxBlocking, maxReplicationLag, maxDuration, queryTimeout}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("monitor durations must be zero or positive");
            }
        }
    }

    /** Sample every second, queries cut at 500 ms, no threshold. */
    public static MonitorSettings defaults() {
        return new MonitorSettings(Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofMillis(500));
    }

    /** No monitor at all: no second connection, no thread, no threshold. */
    public static MonitorSettings off() {
        return defaults().withInterval(Duration.ZERO);
    }

    public boolean enabled() {
        return !interval.isZero();
    }

    /** Whether any threshold is set, so that running without the monitor would silently drop it. */
    public boolean hasThresholds() {
        return !maxBlocking.isZero() || !maxReplicationLag.isZero() || !maxDuration.isZero();
    }

    public MonitorSettings withInterval(Duration d) {
        return new MonitorSettings(d, maxBlocking, maxReplicationLag, maxDuration, queryTimeout);
    }

    public MonitorSettings withMaxBlocking(Duration d) {
        return new MonitorSettings(interval, d, maxReplicationLag, maxDuration, queryTimeout);
    }

    public MonitorSettings withMaxReplicationLag(Duration d) {
        return new MonitorSettings(interval, maxBlocking, d, maxDuration, queryTimeout);
    }

    public MonitorSettings withMaxDuration(Duration d) {
        return new MonitorSettings(interval, maxBlocking, maxReplicationLag, d, queryTimeout);
    }
}
