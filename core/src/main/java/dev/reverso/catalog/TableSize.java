package dev.reverso.catalog;

/**
 * How big a table is now: its total size on disk (with indexes and TOAST) and the planner's row
 * estimate (pg_class.reltuples; -1 when never analysed, read as unknown).
 */
public record TableSize(String relation, long bytes, long rows) {

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
