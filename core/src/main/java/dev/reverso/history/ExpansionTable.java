package dev.reverso.history;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@code reverso.expansions}: the plan and progress of each operation migration. */
public final class ExpansionTable {

    private static final String COLUMNS = "version, version_schema, previous_schema, plan, phase, done, backfill_key,"
            + " backfill_rows, updated_at";

    private final String table;

    public ExpansionTable(ReversoSchema schema) {
        this.table = schema.table("expansions");
    }

    /** Records a new plan in phase start, replacing the row of an earlier, rolled back, try. */
    public void begin(Connection c, String version, String versionSchema, String previousSchema, String plan) throws SQLException {
        String sql = "insert into " + table + " (version, version_schema, previous_schema, plan, phase) values (?,?,?,?,'start')"
                + " on conflict (version) do update set version_schema = excluded.version_schema,"
                + " previous_schema = excluded.previous_schema, plan = excluded.plan, phase = 'start', done = 0,"
                + " backfill_key = null, backfill_rows = 0, updated_at = clock_timestamp()";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, version);
            ps.setString(2, versionSchema);
            ps.setString(3, previousSchema);
            ps.setString(4, plan);
            ps.executeUpdate();
        }
    }

    public Optional<ExpansionRow> find(Connection c, String version) throws SQLException {
        return one(c, "select " + COLUMNS + " from " + table + " where version = ?", version);
    }

    /** The operation migration that is started or part way through a phase, if any. */
    public Optional<ExpansionRow> active(Connection c) throws SQLException {
        return one(c, "select " + COLUMNS + " from " + table
                + " where phase in ('start','started','complete','rollback') order by updated_at desc limit 1", null);
    }

    /** The most recently completed operation migration, whose schema is the live version's. */
    public Optional<ExpansionRow> lastCompleted(Connection c) throws SQLException {
        return one(c, "select " + COLUMNS + " from " + table + " where phase = 'completed' order by updated_at desc limit 1", null);
    }

    /** Every version schema operation migrations have named, the previous versions' included. */
    public java.util.Set<String> versionSchemas(Connection c) throws SQLException {
        java.util.Set<String> out = new java.util.TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("select version_schema, previous_schema from " + table);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
                if (rs.getString(2) != null) {
                    out.add(rs.getString(2));
                }
            }
        }
        return out;
    }

    /** Moves to a phase with none of its steps done. */
    public void phase(Connection c, String version, String phase) throws SQLException {
        update(c, "update " + table + " set phase = ?, done = 0, backfill_key = null, backfill_rows = 0,"
                + " updated_at = clock_timestamp() where version = ?", phase, version);
    }

    /** Records that the first {@code done} steps of the current phase are finished. */
    public void done(Connection c, String version, int done) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update " + table + " set done = ?, backfill_key = null,"
                + " backfill_rows = 0, updated_at = clock_timestamp() where version = ?")) {
            ps.setInt(1, done);
            ps.setString(2, version);
            ps.executeUpdate();
        }
    }

    /**
     * The UPDATE that records a backfill batch, for the batch's own statement to run as a CTE, so
     * a batch and its saved position are one statement: one round trip, one transaction. Its one
     * parameter is the version.
     *
     * @param lastKey an expression giving the batch's last key as text[]
     * @param rows an expression giving the batch's row count
     */
    public String backfilledSql(String lastKey, String rows) {
        return "UPDATE " + table + " SET backfill_key = (" + lastKey + "), backfill_rows = backfill_rows + (" + rows + "),"
                + " updated_at = clock_timestamp() WHERE version = ?";
    }

    private Optional<ExpansionRow> one(Connection c, String sql, String version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (version != null) {
                ps.setString(1, version);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Array key = rs.getArray(7);
                return Optional.of(new ExpansionRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getInt(6), key == null ? null : Arrays.asList((String[]) key.getArray()),
                        rs.getLong(8), HistoryTable.instant(rs.getTimestamp(9))));
            }
        }
    }

    private static void update(Connection c, String sql, String a, String b) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, a);
            ps.setString(2, b);
            ps.executeUpdate();
        }
    }
}
