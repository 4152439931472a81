package dev.reverso.archive;

import dev.reverso.history.ReversoSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The write counters (rows inserted, updated and deleted, from the statistics) of the tables a
 * migration touched: recorded when it is applied, read again when a rollback is planned, so the
 * plan can say how much was written since.
 */
public final class TableWrites {

    /**
     * One table's writes since the migration was applied.
     *
     * @param since rows written since (inserted, updated or deleted); -1 when unknown (the table was
     *              recreated or the statistics were reset)
     */
    public record Since(String schema, String table, long since, boolean exists) { }

    // pg_stat_get_xact_* count this transaction and, from PostgreSQL 15, what this backend has not
    // flushed to the shared statistics yet: with the shared counters, everything up to now.
    private static final String COUNTERS = "coalesce(s.n_tup_ins + s.n_tup_upd + s.n_tup_del, 0)"
            + " + pg_stat_get_xact_tuples_inserted(c.oid) + pg_stat_get_xact_tuples_updated(c.oid)"
            + " + pg_stat_get_xact_tuples_deleted(c.oid)";

    private final String table;

    public TableWrites(ReversoSchema schema) {
        this.table = schema.table("table_stats");
    }

    /**
     * Records the counters of these tables (names as {@code to_regclass} reads them) for a version;
     * tables that do not exist (dropped by the migration) are skipped.
     */
    public void record(Connection c, String version, Collection<String> tables) throws SQLException {
        if (tables.isEmpty()) {
            return;
        }
        String sql = "insert into " + table + " (version, schema_name, table_name, writes, live_rows)"
                + " select ?, n.nspname, c.relname, " + COUNTERS + ", coalesce(s.n_live_tup, 0)"
                + " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " left join pg_stat_user_tables s on s.relid = c.oid"
                + " where c.oid in (select to_regclass(x) from unnest(?::text[]) x) and c.relkind in ('r', 'p')"
                + " on conflict (version, schema_name, table_name) do update set writes = excluded.writes,"
                + " live_rows = excluded.live_rows, recorded_at = clock_timestamp()";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, version);
            ps.setArray(2, c.createArrayOf("text", tables.toArray()));
            ps.executeUpdate();
        }
    }

    /** For each table recorded for a version: the rows written to it since. */
    public List<Since> since(Connection c, String version) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute("select pg_stat_clear_snapshot()");
        }
        String sql = "select t.schema_name, t.table_name, t.writes, " + COUNTERS + ", c.oid is not null"
                + " from " + table + " t left join pg_namespace n on n.nspname = t.schema_name"
                + " left join pg_class c on c.relnamespace = n.oid and c.relname = t.table_name and c.relkind in ('r', 'p')"
                + " left join pg_stat_user_tables s on s.relid = c.oid where t.version = ? order by 1, 2";
        List<Since> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean exists = rs.getBoolean(5);
                    long then = rs.getLong(3);
                    long now = rs.getLong(4);
                    out.add(new Since(rs.getString(1), rs.getString(2), exists && now >= then ? now - then : -1, exists));
                }
            }
        }
        return out;
    }
}
