package dev.reverso.ops;

import java.time.Duration;

/**
 * How a backfill walks a table.
 *
 * @param batchSize rows per batch (one transaction each)
 * @param delay pause between batches, to leave the server room
 */
public record BackfillSettings(int batchSize, Duration delay) {

    public BackfillSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
    }

    /** 1,000 rows a batch, no pause: each batch holds its row locks for a few milliseconds. */
    public static BackfillSettings defaults() {
        return new BackfillSettings(1000, Duration.ZERO);
    }
}
