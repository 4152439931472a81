package dev.reverso.cli;

import dev.reverso.ReversoConfig;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * The live monitor's thresholds, on every command that runs migrations (up, down, start,
 * complete, rollback). Durations are read by {@link DurationConverter}; 0 turns a threshold off.
 */
final class MonitorOptions {

    @Option(names = "--max-blocking", converter = DurationConverter.class, defaultValue = "0", paramLabel = "DURATION",
            description = "cancel the migration's statement and stop the run (rolled back, exit 5) when a session has"
                    + " waited on it longer than this, e.g. 2s (default: off)")
    Duration maxBlocking;

    @Option(names = "--max-replication-lag", converter = DurationConverter.class, defaultValue = "0", paramLabel = "DURATION",
            description = "while a replica lags more than this, hold back the next backfill batch or migration until it"
                    + " catches up, e.g. 10s (default: off)")
    Duration maxReplicationLag;

    @Option(names = "--max-duration", converter = DurationConverter.class, defaultValue = "0", paramLabel = "DURATION",
            description = "cancel and stop the run (rolled back, exit 5) when it has taken longer than this, e.g. 30m"
                    + " (default: off)")
    Duration maxDuration;

    ReversoConfig applyTo(ReversoConfig config) {
        return config.withMaxBlocking(maxBlocking).withMaxReplicationLag(maxReplicationLag).withMaxDuration(maxDuration);
    }
}
