package dev.reverso.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code reverso.audit}: one row per action. Written in autocommit when an action starts, so that
 * even a run killed inside its transaction leaves a trace, and inside the migration's transaction
 * when it ends, so that the outcome commits with the change it describes.
 */
public final class AuditLog {

    private final String table;
    private final String actor;

    /**
     * @param actor who is acting, as {@code os-user@host}; the database user is recorded as well
     */
    public AuditLog(ReversoSchema schema, String actor) {
        this.table = schema.table("audit");
        this.actor = actor;
    }

    /** One audit row to write. */
    public record Note(String action, String version, String outcome, String detail) {
    }

    public void record(Connection c, String action, String version, String outcome, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertSql())) {
            bind(ps, 1, new Note(action, version, outcome, detail));
            ps.executeUpdate();
        }
    }

    /** The insert of one row, with five parameters; {@link HistoryTable} sends it with its own write. */
    String insertSql() {
        return "insert into " + table + " (actor, action, version, outcome, detail) values (?,?,?,?,?)";
    }

    /** The insert of one row for each row of {@code source} (a CTE name), with the same five parameters. */
    String insertForEachSql(String source) {
        return "insert into " + table + " (actor, action, version, outcome, detail) select ?,?,?,?,? from " + source;
    }

    /** Binds a note to the insert's five parameters, the first at {@code from}. */
    void bind(PreparedStatement ps, int from, Note note) throws SQLException {
        ps.setString(from, actor);
        ps.setString(from + 1, note.action());
        ps.setString(from + 2, note.version());
        ps.setString(from + 3, note.outcome());
        ps.setString(from + 4, note.detail());
    }

    /** The newest entries first. */
    public List<AuditEntry> latest(Connection c, int limit) throws SQLException {
        List<AuditEntry> entries = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, at, actor, db_user, action, version, outcome, detail from "
                + table + " order by id desc limit ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new AuditEntry(rs.getLong(1), HistoryTable.instant(rs.getTimestamp(2)), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
        }
        return entries;
    }
}
