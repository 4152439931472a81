package dev.reverso.archive;

import dev.reverso.history.ReversoSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The write counters (rows inserted, updated and deleted, from the statistics) of the tables a
 * migration touched: recorded when it is applied, read again when a rollback is planned, so the
 * plan can say how much was written since. With them, what the migration's own statements wrote
 * (and, once it is rolled back, what its down wrote): writes made by migrations are not the
 * application's, and are left out of what later rollbacks count as written since.
 */
public final class TableWrites {

    /**
     * One table's writes since the migration was applied.
     *
     * @param since rows written since (inserted, updated or deleted) by anything but migrations
     *              rolled back since (or ahead of it in the same run); -1 when unknown (the table
     *              was recreated or the statistics were reset)
     */
    public record Since(String schema, String table, long since, boolean exists) { }

    // pg_stat_get_xact_* count this transaction and, from PostgreSQL 15, what this backend has not
    // flushed to the shared statistics yet: with the shared counters, everything up to now.
    private static final String COUNTERS = "coalesce(s.n_tup_ins + s.n_tup_upd + s.n_tup_del, 0)"
            + " + pg_stat_get_xact_tuples_inserted(c.oid) + pg_stat_get_xact_tuples_updated(c.oid)"
            + " + pg_stat_get_xact_tuples_deleted(c.oid)";

    // This session's part alone. Its difference over one transaction is exactly what the
    // transaction wrote (aborted tries included): the backend flushes only when idle outside a
    // transaction, and other sessions' writes are not in it.
    private static final String SESSION = "pg_stat_get_xact_tuples_inserted(c.oid) + pg_stat_get_xact_tuples_updated(c.oid)"
            + " + pg_stat_get_xact_tuples_deleted(c.oid)";

    private static final String TABLES = " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            + " left join pg_stat_user_tables s on s.relid = c.oid";

    private static final String NAMED = " c.oid in (select to_regclass(x) from unnest(?::text[]) x) and c.relkind in ('r', 'p')";

    private final String table;
    private final String migrations;

    public TableWrites(ReversoSchema schema) {
        this.table = schema.table("table_stats");
        this.migrations = schema.table("migrations");
    }

    /**
     * Counts what a migration's own statements write to its tables, by table oid: {@link #mark}
     * in a transaction before statements, {@link #add} in the same transaction after them (or
     * leave it to the record that ends the transaction). Statements that run outside a transaction
     * are not counted. A try rolled back after a lock timeout is forgotten with
     * {@link #fromCheckpoint}, though the statistics keep its writes.
     */
    public final class Meter {

        private final Connection c;
        private final List<String> tables;
        private Map<Long, Long> marked;
        private Map<Long, Long> total = new HashMap<>();
        private Map<Long, Long> saved = new HashMap<>();

        private Meter(Connection c, Collection<String> tables) {
            this.c = c;
            this.tables = List.copyOf(tables);
        }

        /** In the transaction, before the statements: this session's counters now. */
        public void mark() throws SQLException {
            marked = tables.isEmpty() ? Map.of() : session(c, tables);
        }

        /** In the same transaction, after the statements: adds what they wrote since the mark. */
        public void add() throws SQLException {
            if (marked == null) {
                return;
            }
            Map<Long, Long> now = tables.isEmpty() ? Map.of() : session(c, tables);
            now.forEach((oid, n) -> {
                long wrote = n - marked.getOrDefault(oid, 0L);
                if (wrote > 0) {
                    total.merge(oid, wrote, Long::sum);
                }
            });
            marked = null;
        }

        /** What was counted so far is kept: it committed, or it is about to be tried as one transaction. */
        public void checkpoint() {
            saved = new HashMap<>(total);
        }

        /** A try begins: what an earlier, rolled-back try counted since the checkpoint is forgotten. */
        public void fromCheckpoint() {
            total = new HashMap<>(saved);
            marked = null;
        }
    }

    /** A meter of the tables a migration's statements name (as {@code to_regclass} reads them). */
    public Meter meter(Connection c, Collection<String> tables) {
        return new Meter(c, tables);
    }

    private static Map<Long, Long> session(Connection c, List<String> tables) throws SQLException {
        Map<Long, Long> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select c.oid::bigint, " + SESSION + " from pg_class c where" + NAMED)) {
            ps.setArray(1, c.createArrayOf("text", tables.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /**
     * The rows the meter's statements wrote to a table, in SQL over {@code c} and the arrays bound
     * by {@link #bindOwn}: what it added up, and when a mark is open, what this transaction wrote
     * since (so the record that ends the transaction needs no query of its own for it).
     */
    private static final String OWN = "greatest(0, coalesce(o.counted, 0) + case when ? then " + SESSION
            + " - coalesce(o.marked, 0) else 0 end)";

    private static final String OWN_JOIN = " left join unnest(?::bigint[], ?::bigint[], ?::bigint[]) o(oid, counted, marked)"
            + " on o.oid = c.oid::bigint";

    /** Binds OWN's flag and then OWN_JOIN's three arrays, at {@code flag} and {@code join}. */
    private static void bindOwn(PreparedStatement ps, int flag, int join, Meter m) throws SQLException {
        Map<Long, Long> marked = m.marked == null ? Map.of() : m.marked;
        java.util.Set<Long> oids = new java.util.HashSet<>(m.total.keySet());
        oids.addAll(marked.keySet());
        Long[] ids = oids.toArray(Long[]::new);
        Long[] counted = new Long[ids.length];
        Long[] at = new Long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            counted[i] = m.total.getOrDefault(ids[i], 0L);
            at[i] = marked.get(ids[i]);
        }
        Connection c = ps.getConnection();
        ps.setBoolean(flag, m.marked != null);
        ps.setArray(join, c.createArrayOf("bigint", ids));
        ps.setArray(join + 1, c.createArrayOf("bigint", counted));
        ps.setArray(join + 2, c.createArrayOf("bigint", at));
    }

    /**
     * Records for a version, after its up statements, the counters of these tables (names as
     * {@code to_regclass} reads them) and what its statements wrote to them, by the meter; tables
     * that do not exist (dropped by the migration) are skipped.
     */
    public void record(Connection c, String version, Collection<String> tables, Meter own) throws SQLException {
        if (tables.isEmpty()) {
            return;
        }
        String sql = "insert into " + table + " (version, schema_name, table_name, writes, live_rows, own_writes)"
                + " select ?, n.nspname, c.relname, " + COUNTERS + ", coalesce(s.n_live_tup, 0), " + OWN
                + TABLES + OWN_JOIN + " where" + NAMED
                + " on conflict (version, schema_name, table_name) do update set writes = excluded.writes,"
                + " live_rows = excluded.live_rows, own_writes = excluded.own_writes, recorded_at = clock_timestamp()";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, version);
            bindOwn(ps, 2, 3, own);
            ps.setArray(6, c.createArrayOf("text", tables.toArray()));
            ps.executeUpdate();
        }
    }

    /** Records for a version what its down's statements wrote to these tables, by the meter, as they finish. */
    public void recordDown(Connection c, String version, Collection<String> tables, Meter own) throws SQLException {
        if (tables.isEmpty()) {
            return;
        }
        // A table only the down names gets a row without counters: since() skips it.
        String sql = "insert into " + table + " (version, schema_name, table_name, down_writes, down_at)"
                + " select ?, n.nspname, c.relname, " + OWN + ", clock_timestamp()"
                + TABLES + OWN_JOIN + " where" + NAMED
                + " on conflict (version, schema_name, table_name) do update set down_writes = excluded.down_writes,"
                + " down_at = excluded.down_at";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, version);
            bindOwn(ps, 2, 3, own);
            ps.setArray(6, c.createArrayOf("text", tables.toArray()));
            ps.executeUpdate();
        }
    }

    /** The tables recorded for a version when it was applied, quoted as {@code to_regclass} reads them. */
    public List<String> tables(Connection c, String version) throws SQLException {
        String sql = "select quote_ident(schema_name) || '.' || quote_ident(table_name) from " + table
                + " where version = ? and writes is not null order by 1";
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** For each table recorded for a version: the rows written to it since, by anything but migrations. */
    public List<Since> since(Connection c, String version) throws SQLException {
        return since(c, version, Set.of());
    }

    /**
     * For each table recorded for a version: the rows written to it since it was applied, leaving
     * out what migrations wrote after it: the down of every migration rolled back since, and the up
     * of every migration applied since that is rolled back now or in the same run ahead of this one
     * ({@code rolledBackFirst}). What a migration still applied wrote stays in: a rollback that
     * destroys it loses that migration's data.
     */
    public List<Since> since(Connection c, String version, Set<String> rolledBackFirst) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute("select pg_stat_clear_snapshot()");
        }
        String theirs = "(select coalesce(sum(case when o.recorded_at > t.recorded_at and o.writes is not null"
                + " and (h.state = 'rolled_back' or o.version = any(?)) then o.own_writes else 0 end"
                + " + case when o.down_at > t.recorded_at then o.down_writes else 0 end), 0)"
                + " from " + table + " o left join " + migrations + " h on h.version = o.version"
                + " where o.schema_name = t.schema_name and o.table_name = t.table_name and o.version <> t.version)";
        String sql = "select t.schema_name, t.table_name, t.writes, " + COUNTERS + ", c.oid is not null, " + theirs
                + " from " + table + " t left join pg_namespace n on n.nspname = t.schema_name"
                + " left join pg_class c on c.relnamespace = n.oid and c.relname = t.table_name and c.relkind in ('r', 'p')"
                + " left join pg_stat_user_tables s on s.relid = c.oid where t.version = ? and t.writes is not null order by 1, 2";
        List<Since> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", rolledBackFirst.toArray()));
            ps.setString(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean exists = rs.getBoolean(5);
                    long since = rs.getLong(4) - rs.getLong(3) - rs.getLong(6);
                    out.add(new Since(rs.getString(1), rs.getString(2), exists && since >= 0 ? since : -1, exists));
                }
            }
        }
        return out;
    }
}
