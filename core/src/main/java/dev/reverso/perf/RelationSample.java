package dev.reverso.perf;

/**
 * One user table or index as the statistics views show it.
 *
 * @param kind {@code table} or {@code index}
 * @param table the table (for a table, its own name)
 * @param bytes pg_total_relation_size of a table (with its indexes and TOAST), pg_relation_size of an index
 * @param liveTuples n_live_tup of a table, null for an index
 * @param deadTuples n_dead_tup of a table, null for an index
 * @param scans idx_scan of an index, null for a table
 */
public record RelationSample(String kind, String schema, String name, String table, long bytes, Long liveTuples,
                             Long deadTuples, Long scans) {

    public boolean isIndex() {
        return kind.equals("index");
    }

    /** schema.name, for messages and matching. */
    public String qualified() {
        return schema + "." + name;
    }

    /** Dead tuples over all tuples, 0 when the table is empty or this is an index. */
    public double deadRatio() {
        if (liveTuples == null || deadTuples == null || liveTuples + deadTuples == 0) {
            return 0;
        }
        return (double) deadTuples / (liveTuples + deadTuples);
    }
}
