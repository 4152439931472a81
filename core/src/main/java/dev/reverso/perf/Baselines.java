package dev.reverso.perf;

import dev.reverso.history.ReversoSchema;
import dev.reverso.sql.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Records performance baselines in {@code perf_baselines}, {@code perf_statements} and
 * {@code perf_relations}, and reads them and the live statistics back. Recording is one statement
 * run on the server ({@code insert ... select} from the statistics views), so a run pays one round
 * trip for it.
 */
public final class Baselines {

    /** Longer query texts are cut: the baseline is for recognising a statement, not re-running it. */
    static final int QUERY_CHARS = 2000;

    private final ReversoSchema schema;
    private final List<String> excludedSchemas;

    /** @param excludedSchemas schemas whose tables are Reverso's own (its schema and the archive schema) */
    public Baselines(ReversoSchema schema, List<String> excludedSchemas) {
        this.schema = schema;
        this.excludedSchemas = List.copyOf(excludedSchemas);
    }

    /**
     * Records a baseline: the top {@code statements} statements of this database by total time (when
     * pg_stat_statements is usable) and every user table and index.
     *
     * @return the baseline's id
     */
    public long record(Connection c, String version, String command, int statements) throws SQLException {
        StatementTracking tracking = StatementTracking.read(c);
        boolean tracked = tracking.usable() && statements > 0;
        StringBuilder sql = new StringBuilder("with b as (insert into " + schema.table("perf_baselines")
                + " (version, command, statements_tracked) values (?, ?, ?) returning id)");
        if (tracked) {
            sql.append(", s as (insert into ").append(schema.table("perf_statements"))
                    .append(" (baseline_id, queryid, query, calls, total_ms, mean_ms) select b.id, t.queryid, t.query, t.calls,")
                    .append(" t.total_ms, t.total_ms / greatest(t.calls, 1) from b, (").append(statementsSql(tracking.schema().get()))
                    .append(" order by 4 desc limit ").append(statements).append(") t)");
        }
        sql.append(", r as (insert into ").append(schema.table("perf_relations"))
                .append(" (baseline_id, kind, schema_name, name, table_name, bytes, live_tuples, dead_tuples, scans)")
                .append(" select b.id, t.* from b, (").append(relationsSql()).append(") t)")
                .append(" select id from b");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setString(1, version);
            ps.setString(2, command);
            ps.setBoolean(3, tracked);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The newest baseline, if any. */
    public Optional<Baseline> latest(Connection c) throws SQLException {
        return find(c, "order by taken_at desc, id desc limit 1", null);
    }

    /** The newest baseline taken at or before {@code at} (when a migration started). */
    public Optional<Baseline> takenBefore(Connection c, Instant at) throws SQLException {
        return find(c, "where taken_at <= ? order by taken_at desc, id desc limit 1", Timestamp.from(at));
    }

    private Optional<Baseline> find(Connection c, String where, Timestamp at) throws SQLException {
        String sql = "select id, version, command, taken_at, statements_tracked from " + schema.table("perf_baselines") + " " + where;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (at != null) {
                ps.setTimestamp(1, at);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long id = rs.getLong(1);
                return Optional.of(new Baseline(id, rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                        rs.getBoolean(5), statements(c, "select queryid, query, calls, total_ms from "
                        + schema.table("perf_statements") + " where baseline_id = " + id), relations(c, "select kind, schema_name,"
                        + " name, table_name, bytes, live_tuples, dead_tuples, scans from " + schema.table("perf_relations")
                        + " where baseline_id = " + id)));
            }
        }
    }

    /** Every statement of this database pg_stat_statements tracks now (the extension must be usable). */
    public List<StatementSample> currentStatements(Connection c, StatementTracking tracking) throws SQLException {
        return statements(c, statementsSql(tracking.schema().orElseThrow()));
    }

    /** Every user table and index now. */
    public List<RelationSample> currentRelations(Connection c) throws SQLException {
        return relations(c, relationsSql());
    }

    /** schema.name of the indexes that enforce something (unique, primary key, exclusion): unused by scans, not useless. */
    public static java.util.Set<String> enforcingIndexes(Connection c) throws SQLException {
        java.util.Set<String> out = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("select n.nspname || '.' || i.relname from pg_index x"
                + " join pg_class i on i.oid = x.indexrelid join pg_namespace n on n.oid = i.relnamespace"
                + " where x.indisunique or x.indisexclusion"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * When the current database's table and index statistics were last reset, or null: counters
     * (dead tuples, index scans) read after that start from zero again.
     */
    public static Optional<Instant> relationStatsReset(Connection c) throws SQLException {
        return instant(c, "select stats_reset from pg_stat_database where datname = current_database()");
    }

    /** When pg_stat_statements was last reset as a whole (pg_stat_statements_info, PostgreSQL 14+). */
    public static Optional<Instant> statementStatsReset(Connection c, StatementTracking tracking) throws SQLException {
        String info = Identifiers.quote(tracking.schema().orElseThrow()) + ".pg_stat_statements_info";
        try (PreparedStatement ps = c.prepareStatement("select to_regclass(?) is not null")) {
            ps.setString(1, info);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
        }
        return instant(c, "select stats_reset from " + info);
    }

    private static Optional<Instant> instant(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            Timestamp t = rs.next() ? rs.getTimestamp(1) : null;
            return Optional.ofNullable(t).map(Timestamp::toInstant);
        }
    }

    /** queryid, query, calls, total_ms of this database's statements, summed over users and nesting levels. */
    private static String statementsSql(String extensionSchema) {
        return "select queryid, left(min(query), " + QUERY_CHARS + ") as query, sum(calls)::bigint as calls,"
                + " sum(total_exec_time) as total_ms from " + Identifiers.quote(extensionSchema) + ".pg_stat_statements"
                + " where dbid = (select oid from pg_database where datname = current_database()) and queryid is not null"
                + " group by queryid";
    }

    private String relationsSql() {
        String excluded = String.join(", ", excludedSchemas.stream().map(s -> "'" + s.replace("'", "''") + "'").toList());
        return "select 'table', schemaname::text, relname::text, relname::text, pg_total_relation_size(relid), n_live_tup,"
                + " n_dead_tup, null::bigint from pg_stat_user_tables where schemaname not in (" + excluded + ")"
                + " union all select 'index', schemaname::text, indexrelname::text, relname::text, pg_relation_size(indexrelid),"
                + " null::bigint, null::bigint, idx_scan from pg_stat_user_indexes where schemaname not in (" + excluded + ")";
    }

    private static List<StatementSample> statements(Connection c, String sql) throws SQLException {
        List<StatementSample> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new StatementSample(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getDouble(4)));
            }
        }
        return out;
    }

    private static List<RelationSample> relations(Connection c, String sql) throws SQLException {
        List<RelationSample> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new RelationSample(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        (Long) rs.getObject(6, Long.class), (Long) rs.getObject(7, Long.class), (Long) rs.getObject(8, Long.class)));
            }
        }
        return out;
    }
}
