package dev.reverso.perf;

/**
 * One statement's pg_stat_statements counters in the current database, summed over users.
 *
 * @param query the normalised text, truncated
 * @param totalMs total execution time in milliseconds
 */
public record StatementSample(long queryId, String query, long calls, double totalMs) {

    public double meanMs() {
        return calls == 0 ? 0 : totalMs / calls;
    }
}
