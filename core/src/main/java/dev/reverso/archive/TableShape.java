package dev.reverso.archive;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A live table as archiving and restoring need it: its real schema and name, its columns, and the
 * key that identifies its rows (the primary key, or else a unique index on NOT NULL columns).
 *
 * @param oid       the table's OID
 * @param partition true when it is partitioned, a partition, or has inheritance children, which
 *                  moving or copying it alone would not capture
 * @param key       the key's columns; empty when the table has none
 */
public record TableShape(long oid, String schema, String name, boolean partition, List<Column> columns, List<String> key) {

    /**
     * One column.
     *
     * @param type      {@code format_type} of it, e.g. {@code character varying(20)}
     * @param generated true for a stored generated column (its values are computed, never restored)
     * @param identity  'a' (ALWAYS), 'd' (BY DEFAULT) or empty
     * @param defaultSql its default expression, or null
     * @param collation its collation when not the type's default, quoted, or null
     */
    public record Column(String name, String type, boolean notNull, boolean generated, String identity, String defaultSql,
                         String collation) { }

    /** The table a name resolves to now (with the session's search_path), if there is one. */
    public static Optional<TableShape> of(Connection c, TableName table) throws SQLException {
        String sql = "select c.oid, n.nspname, c.relname, c.relkind = 'p' or c.relispartition"
                + " or exists (select 1 from pg_inherits i where i.inhparent = c.oid)"
                + " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where c.oid = to_regclass(?) and c.relkind in ('r', 'p')";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table.sql());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long oid = rs.getLong(1);
                return Optional.of(new TableShape(oid, rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        columns(c, oid), key(c, oid)));
            }
        }
    }

    /** Whether a name resolves now to a temporary table, which does not outlive its session: never archived. */
    public static boolean temporary(Connection c, TableName table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select relpersistence = 't' from pg_class where oid = to_regclass(?)")) {
            ps.setString(1, table.sql());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** The table with this exact schema and name, if it exists. */
    public static Optional<TableShape> exactly(Connection c, String schema, String name) throws SQLException {
        return of(c, new TableName(schema, name));
    }

    public Optional<Column> column(String column) {
        return columns.stream().filter(col -> col.name().equals(column)).findFirst();
    }

    /** The columns a restore can write: not generated. */
    public List<String> writable() {
        return columns.stream().filter(col -> !col.generated()).map(Column::name).toList();
    }

    private static List<Column> columns(Connection c, long oid) throws SQLException {
        String sql = "select a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attgenerated <> '',"
                + " a.attidentity, pg_get_expr(d.adbin, d.adrelid),"
                + " case when a.attcollation <> t.typcollation then quote_ident(co.collname) end"
                + " from pg_attribute a join pg_type t on t.oid = a.atttypid"
                + " left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum"
                + " left join pg_collation co on co.oid = a.attcollation"
                + " where a.attrelid = ? and a.attnum > 0 and not a.attisdropped order by a.attnum";
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new Column(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4),
                            rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        }
        return columns;
    }

    /** The primary key's columns, or those of the first unique, non-partial index on NOT NULL plain columns. */
    private static List<String> key(Connection c, long oid) throws SQLException {
        String sql = "select array(select a.attname from unnest(i.indkey) with ordinality k(num, pos)"
                + " join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.num order by k.pos)"
                + " from pg_index i where i.indrelid = ? and i.indisunique and i.indisvalid and i.indpred is null"
                + " and i.indexprs is null and not exists (select 1 from unnest(i.indkey) k(num)"
                + " join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.num where not a.attnotnull or k.num = 0)"
                + " order by i.indisprimary desc, i.indnatts, i.indexrelid limit 1";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return List.of();
                }
                return List.of((String[]) rs.getArray(1).getArray());
            }
        }
    }
}
