package dev.reverso.history;

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
 * {@code reverso.migrations}: one row per version with its current state and the SQL that
 * was applied, including the down SQL a rollback will run.
 */
public final class HistoryTable {

    private static final String COLUMNS = "version, name, kind, checksum, state, transactional, started_at, "
            + "finished_at, duration_ms, applied_by, up_sql, down_sql, error, failed_step";

    private final String table;
    private final AuditLog audit;

    public HistoryTable(ReversoSchema schema, AuditLog audit) {
        this.table = schema.table("migrations");
        this.audit = audit;
    }

    /** Every row, in no particular order (versions sort numerically, which SQL text cannot). */
    public List<HistoryRow> all(Connection c) throws SQLException {
        List<HistoryRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from " + table);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(read(rs));
            }
        }
        return rows;
    }

    public Optional<HistoryRow> find(Connection c, String version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from " + table + " where version = ?")) {
            ps.setString(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Writes a row for a migration that is starting or has just been applied, replacing any earlier
     * row of the version (a migration rolled back and applied again keeps one row).
     */
    public void write(Connection c, HistoryRow row) throws SQLException {
        write(c, row, null);
    }

    /**
     * Writes a row and, when a note is given, its audit row in the same statement: at a thousand
     * small migrations, each round trip saved is a tenth of Reverso's own time.
     */
    public void write(Connection c, HistoryRow row, AuditLog.Note note) throws SQLException {
        String upsert = "insert into " + table + " (" + COLUMNS + ") values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                + " on conflict (version) do update set name = excluded.name, kind = excluded.kind,"
                + " checksum = excluded.checksum, state = excluded.state, transactional = excluded.transactional,"
                + " started_at = excluded.started_at, finished_at = excluded.finished_at,"
                + " duration_ms = excluded.duration_ms, applied_by = excluded.applied_by, up_sql = excluded.up_sql,"
                + " down_sql = excluded.down_sql, error = excluded.error, failed_step = excluded.failed_step";
        String sql = note == null ? upsert : "with h as (" + upsert + " returning 1) " + audit.insertSql();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, row.version());
            ps.setString(2, row.name());
            ps.setString(3, row.kind());
            ps.setString(4, row.checksum());
            ps.setString(5, row.state().dbValue());
            ps.setBoolean(6, row.transactional());
            ps.setTimestamp(7, timestamp(row.startedAt()));
            ps.setTimestamp(8, timestamp(row.finishedAt()));
            ps.setObject(9, row.durationMs());
            ps.setString(10, row.appliedBy());
            ps.setString(11, row.upSql());
            ps.setString(12, row.downSql());
            ps.setString(13, row.error());
            ps.setObject(14, row.failedStep());
            if (note != null) {
                audit.bind(ps, 15, note);
            }
            ps.executeUpdate();
        }
    }

    /** Removes a version's row, for a first run that failed before it changed anything. */
    public void delete(Connection c, String version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from " + table + " where version = ?")) {
            ps.setString(1, version);
            ps.executeUpdate();
        }
    }

    /** Moves a row to a new state, recording when and how long, and an error and failed step if any. */
    public void transition(Connection c, String version, MigrationState state, Long durationMs,
                           String error, Integer failedStep) throws SQLException {
        transition(c, version, state, durationMs, error, failedStep, null);
    }

    /** A transition and, when a note is given, its audit row, in one statement. */
    public void transition(Connection c, String version, MigrationState state, Long durationMs,
                           String error, Integer failedStep, AuditLog.Note note) throws SQLException {
        String update = "update " + table + " set state = ?, finished_at = case when ? then clock_timestamp() else finished_at end,"
                + " duration_ms = coalesce(?, duration_ms), error = ?, failed_step = ? where version = ?";
        String sql = note == null ? update
                : "with h as (" + update + " returning 1) " + audit.insertForEachSql("h");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            boolean finished = state == MigrationState.APPLIED || state == MigrationState.ROLLED_BACK
                    || state == MigrationState.COMPLETED;
            ps.setString(1, state.dbValue());
            ps.setBoolean(2, finished);
            ps.setObject(3, durationMs);
            ps.setString(4, error);
            ps.setObject(5, failedStep);
            ps.setString(6, version);
            if (note != null) {
                audit.bind(ps, 7, note);
            }
            if (ps.executeUpdate() != 1) {
                throw new SQLException("no history row for version " + version);
            }
        }
    }

    private static HistoryRow read(ResultSet rs) throws SQLException {
        return new HistoryRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                MigrationState.fromDb(rs.getString(5)), rs.getBoolean(6), instant(rs.getTimestamp(7)),
                instant(rs.getTimestamp(8)), (Long) rs.getObject(9), rs.getString(10), rs.getString(11),
                rs.getString(12), rs.getString(13), (Integer) rs.getObject(14));
    }

    static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
