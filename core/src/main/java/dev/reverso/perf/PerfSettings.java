package dev.reverso.perf;

/**
 * What {@code verify --perf} flags.
 *
 * @param thresholdPercent a statement is flagged when its mean time since the baseline exceeds the
 *                         baseline's mean by more than this (25: the runbooks' rollback criterion)
 * @param minCalls a statement is compared only when it ran at least this often before the baseline and since
 */
public record PerfSettings(double thresholdPercent, long minCalls) {

    /** A table is flagged as bloated when at least this share of its tuples is dead ... */
    public static final double BLOAT_RATIO = 0.2;
    /** ... and at least this many are. */
    public static final long BLOAT_MIN_DEAD = 1000;

    public PerfSettings {
        if (thresholdPercent < 0 || minCalls < 1) {
            throw dev.reverso.ReversoException.badInput("--threshold must be at least 0 % and --min-calls at least 1");
        }
    }

    public static PerfSettings defaults() {
        return new PerfSettings(25, 20);
    }
}
