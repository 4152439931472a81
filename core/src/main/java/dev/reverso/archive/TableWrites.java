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

    private static final String TABLES = " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            + " left join pg_stat_user_tables s on s.relid = c.oid";

    private final String table;
    private final String migrations;
    /** Reverso's schemas, whose tables are never counted as written by a migration. */
    private final String[] own;

    public TableWrites(ReversoSchema schema) {
        this.table = schema.table("table_stats");
        this.migrations = schema.table("migrations");
        this.own = new String[] {schema.name(), schema.archiveSchema()};
    }

    /**
     * Counts what a migration's own statements write, to any table (a table they name, or one a
     * foreign key's cascade or a trigger writes), by table oid: {@link #mark} in a transaction
     * before statements, {@link #add} in the same transaction after them (or leave it to the
     * record that ends the transaction). Statements that run outside a transaction are not
     * counted. A try rolled back after a lock timeout is forgotten with {@link #fromCheckpoint},
     * though the statistics keep its writes.
     */
    public final class Meter {

        private final Connection c;
        private Map<Long, Long> marked;
        private Map<Long, Long> total = new HashMap<>();
        private Map<Long, Long> saved = new HashMap<>();

        private Meter(Connection c) {
            this.c = c;
        }

        /** In the transaction, before the statements: this session's counters now. */
        public void mark() throws SQLException {
            marked = session(c);
        }

        /** In the same transaction, after the statements: adds what they wrote since the mark. */
        public void add() throws SQLException {
            if (marked == null) {
                return;
            }
            session(c).forEach((oid, n) -> {
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

    /** A meter of what a migration's statements (or its down's) write on this connection. */
    public Meter meter(Connection c) {
        return new Meter(c);
    }

    // This session's counters (pg_stat_get_xact_*) of every table it has written to, Reverso's own
    // schemas left out. Their difference over one transaction is exactly what the transaction
    // wrote (aborted tries included): the backend flushes them only when idle outside a
    // transaction, and other sessions' writes are not in them.
    private static final String SESSION_TABLES = "select relid::bigint oid, n_tup_ins + n_tup_upd + n_tup_del n"
            + " from pg_stat_xact_user_tables where schemaname <> all(?::text[]) and n_tup_ins + n_tup_upd + n_tup_del > 0";

    private Map<Long, Long> session(Connection c) throws SQLException {
        Map<Long, Long> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SESSION_TABLES)) {
            ps.setArray(1, c.createArrayOf("text", own));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /**
     * What the meter's statements wrote to each table, as a CTE {@code own(oid, w)} over the
     * parameters bound by {@link #bindOwn}: what it added up, and when a mark is open, what this
     * transaction wrote since (so the record that ends the transaction needs no query for it).
     */
    private static final String OWN = "with now as (" + SESSION_TABLES + "),"
            + " own as (select coalesce(n.oid, o.oid) oid, greatest(0, coalesce(o.counted, 0)"
            + " + case when ? then coalesce(n.n, 0) - coalesce(o.marked, 0) else 0 end) w"
            + " from now n full join unnest(?::bigint[], ?::bigint[], ?::bigint[]) o(oid, counted, marked) on o.oid = n.oid) ";

    /** Binds OWN's five parameters from {@code at} on; returns the next index. */
    private int bindOwn(PreparedStatement ps, int at, Meter m) throws SQLException {
        Map<Long, Long> marked = m.marked == null ? Map.of() : m.marked;
        java.util.Set<Long> oids = new java.util.HashSet<>(m.total.keySet());
        oids.addAll(marked.keySet());
        Long[] ids = oids.toArray(Long[]::new);
        Long[] counted = new Long[ids.length];
        Long[] markedAt = new Long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            counted[i] = m.total.getOrDefault(ids[i], 0L);
            markedAt[i] = marked.get(ids[i]);
        }
        Connection c = ps.getConnection();
        ps.setArray(at, c.createArrayOf("text", own));
        ps.setBoolean(at + 1, m.marked != null);
        ps.setArray(at + 2, c.createArrayOf("bigint", ids));
        ps.setArray(at + 3, c.createArrayOf("bigint", counted));
        ps.setArray(at + 4, c.createArrayOf("bigint", markedAt));
        return at + 5;
    }

    /**
     * Records for a version, after its up statements, the counters of these tables (names as
     * {@code to_regclass} reads them; tables that do not exist, dropped by the migration, are
     * skipped), and what its statements wrote to any table, by the meter (a table it wrote to
     * without naming it gets a row without counters); a null meter: its statements write no rows.
     */
    public void record(Connection c, String version, Collection<String> tables, Meter meter) throws SQLException {
        if (meter == null) {
            recordNamed(c, version, tables);
            return;
        }
        String named = "c.oid in (select to_regclass(x) from unnest(?::text[]) x) and c.relkind in ('r', 'p')";
        String sql = OWN + ", named as (select c.oid from pg_class c where " + named + ")"
                + " insert into " + table + " (version, schema_name, table_name, writes, live_rows, own_writes)"
                + " select ?, n.nspname, c.relname, case when d.oid is not null then " + COUNTERS + " end,"
                + " case when d.oid is not null then coalesce(s.n_live_tup, 0) end, coalesce(own.w, 0)"
                + TABLES + " left join named d on d.oid = c.oid left join own on own.oid = c.oid::bigint"
                // Spelled out on c, so that only these tables' statistics are read, not every table's.
                + " where (c.oid in (select oid from named) or c.oid::bigint in (select oid from own where w > 0))"
                + " and (d.oid is not null or own.w > 0)"
                + " on conflict (version, schema_name, table_name) do update set writes = excluded.writes,"
                + " live_rows = excluded.live_rows, own_writes = excluded.own_writes, recorded_at = clock_timestamp()";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int next = bindOwn(ps, 1, meter);
            ps.setArray(next, c.createArrayOf("text", tables.toArray()));
            ps.setString(next + 1, version);
            ps.executeUpdate();
        }
    }

    /** The counters of the named tables alone, for a migration whose statements write no rows (its own writes: 0). */
    private void recordNamed(Connection c, String version, Collection<String> tables) throws SQLException {
        if (tables.isEmpty()) {
            return;
        }
        String sql = "insert into " + table + " (version, schema_name, table_name, writes, live_rows, own_writes)"
                + " select ?, n.nspname, c.relname, " + COUNTERS + ", coalesce(s.n_live_tup, 0), 0" + TABLES
                + " where c.oid in (select to_regclass(x) from unnest(?::text[]) x) and c.relkind in ('r', 'p')"
                + " on conflict (version, schema_name, table_name) do update set writes = excluded.writes,"
                + " live_rows = excluded.live_rows, own_writes = 0, recorded_at = clock_timestamp()";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, version);
            ps.setArray(2, c.createArrayOf("text", tables.toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * Records for a version what its down's statements (and the restores of its archive) wrote,
     * by the meter, as they finish; a table the up did not name gets a row without counters.
     */
    public void recordDown(Connection c, String version, Meter meter) throws SQLException {
        String sql = OWN + "insert into " + table + " (version, schema_name, table_name, down_writes, down_at)"
                + " select ?, n.nspname, c.relname, own.w, clock_timestamp()"
                + " from own join pg_class c on c.oid::bigint = own.oid join pg_namespace n on n.oid = c.relnamespace"
                + " where own.w > 0"
                + " on conflict (version, schema_name, table_name) do update set down_writes = excluded.down_writes,"
                + " down_at = excluded.down_at";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int next = bindOwn(ps, 1, meter);
            ps.setString(next, version);
            ps.executeUpdate();
        }
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
        String theirs = "(select coalesce(sum(case when o.recorded_at > t.recorded_at"
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
