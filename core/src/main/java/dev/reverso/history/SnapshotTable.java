package dev.reverso.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code reverso.snapshots}: the pg_dump files Reverso made, with their size and checksum. */
public final class SnapshotTable {

    private static final String COLUMNS = "id, version, scope, path, bytes, sha256, created_at, created_by, detail";

    private final String table;

    public SnapshotTable(ReversoSchema schema) {
        this.table = schema.table("snapshots");
    }

    /** Records a snapshot whose file is written and returns its id. */
    public long insert(Connection c, String version, String scope, String path, long bytes, String sha256, String createdBy,
                       String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into " + table
                + " (version, scope, path, bytes, sha256, created_by, detail) values (?,?,?,?,?,?,?) returning id")) {
            ps.setString(1, version);
            ps.setString(2, scope);
            ps.setString(3, path);
            ps.setLong(4, bytes);
            ps.setString(5, sha256);
            ps.setString(6, createdBy);
            ps.setString(7, detail);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Every snapshot, oldest first. */
    public List<SnapshotRow> all(Connection c) throws SQLException {
        return query(c, "select " + COLUMNS + " from " + table + " order by id", null);
    }

    public Optional<SnapshotRow> find(Connection c, long id) throws SQLException {
        return query(c, "select " + COLUMNS + " from " + table + " where id = ?", id).stream().findFirst();
    }

    private List<SnapshotRow> query(Connection c, String sql, Long id) throws SQLException {
        List<SnapshotRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (id != null) {
                ps.setLong(1, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new SnapshotRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                            rs.getString(6), HistoryTable.instant(rs.getTimestamp(7)), rs.getString(8), rs.getString(9)));
                }
            }
        }
        return rows;
    }
}
