package dev.reverso.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code reverso.steps}: the journal of a migration run outside a transaction. Each statement is
 * written as running before it is sent and as done (or failed) after, each write committed on
 * its own, so that after a crash the journal says which statement was last done and which was
 * in flight.
 */
public final class StepJournal {

    private final String table;

    public StepJournal(ReversoSchema schema) {
        this.table = schema.table("steps");
    }

    /** Forgets the journal of an earlier run of the same migration and direction. */
    public void clear(Connection c, String version, String direction) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from " + table + " where version = ? and direction = ?")) {
            ps.setString(1, version);
            ps.setString(2, direction);
            ps.executeUpdate();
        }
    }

    /** Journals a step as about to run (or running again, when resumed). */
    public void begin(Connection c, String version, String direction, int step, String statement, int line)
            throws SQLException {
        String sql = "insert into " + table + " (version, direction, step, statement, line, state) values (?,?,?,?,?,'running')"
                + " on conflict (version, direction, step) do update set state = 'running', started_at = clock_timestamp(),"
                + " finished_at = null, error = null, statement = excluded.statement, line = excluded.line";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, version);
            ps.setString(2, direction);
            ps.setInt(3, step);
            ps.setString(4, statement);
            ps.setInt(5, line);
            ps.executeUpdate();
        }
    }

    /** Journals how a step ended: done when error is null, failed otherwise. */
    public void end(Connection c, String version, String direction, int step, String error) throws SQLException {
        String sql = "update " + table + " set state = ?, finished_at = clock_timestamp(), error = ?"
                + " where version = ? and direction = ? and step = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, error == null ? "done" : "failed");
            ps.setString(2, error);
            ps.setString(3, version);
            ps.setString(4, direction);
            ps.setInt(5, step);
            ps.executeUpdate();
        }
    }

    /** The journal of one migration and direction, in step order. */
    public List<StepRow> list(Connection c, String version, String direction) throws SQLException {
        String sql = "select version, direction, step, statement, line, state, started_at, finished_at, error from "
                + table + " where version = ? and direction = ? order by step";
        List<StepRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, version);
            ps.setString(2, direction);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new StepRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getInt(5),
                            StepRow.State.valueOf(rs.getString(6).toUpperCase(Locale.ROOT)),
                            HistoryTable.instant(rs.getTimestamp(7)), HistoryTable.instant(rs.getTimestamp(8)),
                            rs.getString(9)));
                }
            }
        }
        return rows;
    }
}
