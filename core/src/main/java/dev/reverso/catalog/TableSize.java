package dev.reverso.catalog;

/**
 * How big a table is now: its total size on disk (with indexes and TOAST) and the planner's row
 * estimate (pg_class.reltuples; -1 when never analysed, read as unknown).
 */
public record TableSize(String relation, long bytes, long rows) {

    /**
     * A scan or rewrite is estimated at this rate: a rough figure for ordinary hardware, meant to
     * tell seconds from hours, not to schedule by.
     */
    public static final long BYTES_PER_SECOND = 100L * 1024 * 1024;

    /** How long a scan or rewrite of the whole table takes at {@link #BYTES_PER_SECOND}, in words. */
    public String scanEstimate() {
        double seconds = (double) bytes / BYTES_PER_SECOND;
        return seconds < 1 ? "under a second" : seconds < 120 ? String.format(java.util.Locale.ROOT, "about %.0f s", seconds)
                : String.format(java.util.Locale.ROOT, "about %.0f min", seconds / 60);
    }

    /** Such as {@code 1.2 GB} or {@code 48 kB}. */
    public String prettyBytes() {
        String[] units = {"bytes", "kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " bytes" : String.format(java.util.Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }
}
