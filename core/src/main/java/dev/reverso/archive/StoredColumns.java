package dev.reverso.archive;

import dev.reverso.sql.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How an archive table holds a table's columns: in their own type when it is PostgreSQL's, as
 * text when the application defined it (an enum, a domain, a composite, an extension's type, or
 * an array of one). An archive column of the application's type depends on it, and the
 * migration that drops the type (the usual enum change: rename it, create the new one, convert
 * the column, drop the old) would fail because of the archive. Text is every type's own input
 * and output, so a restore casts it back to the column's type exactly.
 */
final class StoredColumns {

    private final Set<String> asText;

    private StoredColumns(Set<String> asText) {
        this.asText = asText;
    }

    /** The columns of this table whose type the archive keeps as text. */
    static StoredColumns of(Connection c, long table) throws SQLException {
        String sql = "select a.attname from pg_attribute a join pg_type t on t.oid = a.atttypid"
                + " left join pg_type e on e.oid = t.typelem and t.typelem <> 0 and t.typcategory = 'A'"
                + " where a.attrelid = ? and a.attnum > 0 and not a.attisdropped"
                + " and (t.typnamespace not in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)"
                + " or e.typnamespace not in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace))";
        Set<String> names = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return new StoredColumns(names);
    }

    /** Whether the archive keeps this column as text. */
    boolean asText(String column) {
        return asText.contains(column);
    }

    /** A select list of these columns as the archive stores them, each read from {@code prefix} (empty, or "t."). */
    String select(List<String> columns, String prefix) {
        return columns.stream().map(col -> asText.contains(col) ? value(col, prefix) + " as " + Identifiers.quote(col)
                : value(col, prefix)).collect(Collectors.joining(", "));
    }

    /** The same values without names, for a VALUES list: {@code new."a", new."b"::text}. */
    String values(List<String> columns, String prefix) {
        return columns.stream().map(col -> value(col, prefix)).collect(Collectors.joining(", "));
    }

    private String value(String column, String prefix) {
        return prefix + Identifiers.quote(column) + (asText.contains(column) ? "::text" : "");
    }

    /** An archived value read back as the live column's type: {@code a."col"::type}. */
    static String restored(String archiveAlias, String column, TableShape target) {
        String read = archiveAlias + Identifiers.quote(column);
        return target.column(column).map(col -> read + "::" + col.type()).orElse(read);
    }
}
