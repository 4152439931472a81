package dev.reverso.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reverso.history.ReversoSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code reverso.archives}: what each migration preserved, and whether a rollback has put it back. */
public final class ArchiveIndex {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, version, step, kind, source_schema, source_table, archive_table, detail,"
            + " row_count, bytes, created_at, restored_at, restore_note";

    private final String table;
    private final String archiveSchema;

    public ArchiveIndex(ReversoSchema schema) {
        this.table = schema.table("archives");
        this.archiveSchema = schema.archiveSchema();
    }

    /** {@code reverso.archives}, quoted. */
    public String table() {
        return table;
    }

    /** The schema archived tables live in. */
    public String archiveSchema() {
        return archiveSchema;
    }

    /**
     * Why the archive schema cannot be trusted, when it exists and is owned by a role the
     * connected role is not a member of: that role could put forged data in it for a rollback to
     * write into live tables, or read what is archived there. A superuser's is trusted: a
     * superuser can change any table anyway.
     */
    public Optional<String> untrustedSchema(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_get_userbyid(nspowner), current_user from pg_namespace"
                + " where nspname = ? and not pg_has_role(nspowner, 'MEMBER')"
                + " and not (select rolsuper from pg_roles where oid = nspowner)")) {
            ps.setString(1, archiveSchema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of("the archive schema " + archiveSchema + " is owned by " + rs.getString(1)
                        + ", a role " + rs.getString(2) + " is not a member of, so Reverso will not archive into it; drop it,"
                        + " give it to a role you trust (ALTER SCHEMA ... OWNER TO), or run with --no-archive")
                        : Optional.empty();
            }
        }
    }

    /** The id the next entry will get, so its archive table can be named after it before it is recorded. */
    public long nextId(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select nextval(pg_get_serial_sequence(?, 'id'))")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public void insert(Connection c, ArchiveEntry e) throws SQLException {
        String sql = "insert into " + table + " (id, version, step, kind, source_schema, source_table, archive_table, detail,"
                + " row_count, bytes) values (?,?,?,?,?,?,?,?,?,?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, e.id());
            ps.setString(2, e.version());
            ps.setInt(3, e.step());
            ps.setString(4, e.kind().dbValue());
            ps.setString(5, e.sourceSchema());
            ps.setString(6, e.sourceTable());
            ps.setString(7, e.archiveTable());
            ps.setString(8, json(e.detail()));
            ps.setLong(9, e.rows());
            ps.setLong(10, e.bytes());
            ps.executeUpdate();
        }
    }

    /** Records how many rows an archive holds and its size, once the step that filled it has run. */
    public void counted(Connection c, long id, long rows, long bytes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update " + table + " set row_count = ?, bytes = ? where id = ?")) {
            ps.setLong(1, rows);
            ps.setLong(2, bytes);
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    public void restored(Connection c, long id, String note) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update " + table
                + " set restored_at = clock_timestamp(), restore_note = ? where id = ?")) {
            ps.setString(1, note);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** Notes that an entry's restore is under way outside the down's transaction; restored_at stays empty until it is done. */
    public void deferred(Connection c, long id, String note) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update " + table + " set restore_note = ? where id = ?")) {
            ps.setString(1, note);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** A new apply of a version starts its archive afresh: the entries of an earlier apply stay until purged. */
    public List<ArchiveEntry> of(Connection c, String version) throws SQLException {
        return query(c, "select " + COLUMNS + " from " + table + " where version = ? order by id", version);
    }

    public List<ArchiveEntry> all(Connection c) throws SQLException {
        return query(c, "select " + COLUMNS + " from " + table + " order by id", null);
    }

    /**
     * Drops archive tables and forgets their entries: those of one version, or those made before a
     * moment. Runs in one transaction.
     *
     * @return the entries purged
     */
    public List<ArchiveEntry> purge(Connection c, java.util.function.Predicate<ArchiveEntry> which) throws SQLException {
        List<ArchiveEntry> purged = all(c).stream().filter(which).toList();
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            for (ArchiveEntry e : purged) {
                if (e.archiveTable() != null) {
                    // A table a rollback moved back has its own name again: only what is still in the archive goes.
                    try (java.sql.Statement st = c.createStatement()) {
                        st.execute("drop table if exists " + dev.reverso.sql.Identifiers.qualified(archiveSchema, e.archiveTable()));
                    }
                }
                delete(c, e.id());
            }
            c.commit();
        } catch (SQLException | RuntimeException failure) {
            c.rollback();
            throw failure;
        } finally {
            c.setAutoCommit(auto);
        }
        return purged;
    }

    /** The size on disk of an archive table now, or 0 when it is gone. */
    public long bytes(Connection c, ArchiveEntry e) throws SQLException {
        if (e.archiveTable() == null) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("select coalesce(pg_total_relation_size(to_regclass(?)), 0)")) {
            ps.setString(1, dev.reverso.sql.Identifiers.qualified(archiveSchema, e.archiveTable()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public void delete(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from " + table + " where id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    private List<ArchiveEntry> query(Connection c, String sql, String version) throws SQLException {
        List<ArchiveEntry> entries = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (version != null) {
                ps.setString(1, version);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new ArchiveEntry(rs.getLong(1), rs.getString(2), rs.getInt(3), ArchiveEntry.Kind.of(rs.getString(4)),
                            rs.getString(5), rs.getString(6), rs.getString(7), detail(rs.getString(8)), rs.getLong(9),
                            rs.getLong(10), instant(rs.getTimestamp(11)), instant(rs.getTimestamp(12)), rs.getString(13)));
                }
            }
        }
        return entries;
    }

    private static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String json(ArchiveEntry.Detail detail) throws SQLException {
        try {
            return JSON.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot write archive detail: " + e.getMessage(), e);
        }
    }

    private static ArchiveEntry.Detail detail(String json) throws SQLException {
        try {
            return JSON.readValue(json, ArchiveEntry.Detail.class);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable archive detail: " + e.getMessage(), e);
        }
    }
}
