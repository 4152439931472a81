package dev.reverso.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Questions about the live database's objects, asked the way PostgreSQL resolves names: an
 * unqualified name is looked up through the search_path, a qualified one in its schema.
 */
public final class Catalog {

    private final Connection connection;

    public Catalog(Connection connection) {
        this.connection = connection;
    }

    /** What an index is now: absent, built and usable, or left invalid by an interrupted concurrent build. */
    public enum IndexState { ABSENT, VALID, INVALID }

    /** The state of the index with this (already unquoted) name. */
    public IndexState index(String schema, String name) throws SQLException {
        String sql = "select i.indisvalid from pg_index i where i.indexrelid = to_regclass(?)";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, regclassText(schema, name));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return IndexState.ABSENT;
                }
                return rs.getBoolean(1) ? IndexState.VALID : IndexState.INVALID;
            }
        }
    }

    /** The size of a relation written as {@code schema.name} or {@code name}, if it exists. */
    public java.util.Optional<TableSize> size(String relation) throws SQLException {
        String text = regclassText(relation);
        String sql = "select pg_total_relation_size(c.oid), c.reltuples::bigint from pg_class c where c.oid = to_regclass(?)";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, text);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(new TableSize(relation, rs.getLong(1), rs.getLong(2)))
                        : java.util.Optional.empty();
            }
        }
    }

    /** The server's major version, such as 15. */
    public int serverMajor() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("select current_setting('server_version_num')::int / 10000");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Whether a table, view, materialized view or sequence of this name exists. */
    public boolean relationExists(String schema, String name) throws SQLException {
        return exists("select to_regclass(?) is not null", regclassText(schema, name));
    }

    public boolean schemaExists(String name) throws SQLException {
        return exists("select exists (select 1 from pg_namespace where nspname = ?)", name);
    }

    public boolean typeExists(String schema, String name) throws SQLException {
        return exists("select to_regtype(?) is not null", regclassText(schema, name));
    }

    public boolean functionExists(String schema, String name) throws SQLException {
        String sql = "select exists (select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
                + " where p.proname = ? and (n.nspname = ? or (?::text is null and n.nspname = any(current_schemas(false)))))";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, name);
            ps.setString(2, schema);
            ps.setString(3, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private boolean exists(String sql, String arg) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * A relation as the classifier reports it ({@code schema.name} or {@code name}, unquoted and
     * case-folded) as text for to_regclass, quoted where needed.
     */
    public static String regclassText(String relation) {
        int dot = relation.indexOf('.');
        return dot < 0 ? regclassText(null, relation) : regclassText(relation.substring(0, dot), relation.substring(dot + 1));
    }

    private static String regclassText(String schema, String name) {
        return dev.reverso.sql.Identifiers.qualified(schema, name);
    }
}
