package dev.reverso.release;

/**
 * When a table counts as big (a lock or rewrite on it is HIGH risk) and huge (a rewrite of it is
 * CRITICAL): either its estimated rows or its total size reaches the threshold.
 */
public record RiskThresholds(long bigRows, long bigBytes, long hugeRows, long hugeBytes) {

    /** Big: 100,000 rows or 100 MB; huge: 10 million rows or 10 GB. */
    public static RiskThresholds defaults() {
        return new RiskThresholds(100_000, 100L << 20, 10_000_000, 10L << 30);
    }

    boolean big(long rows, long bytes) {
        return rows >= bigRows || bytes >= bigBytes;
    }

    boolean huge(long rows, long bytes) {
        return rows >= hugeRows || bytes >= hugeBytes;
    }
}
