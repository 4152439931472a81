package dev.reverso.archive;

import dev.reverso.sql.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What goes away along with a column or a table, read from the catalog so it can be put back:
 * indexes and constraints on a column, foreign keys and views on a table, sequence positions.
 */
final class Dependents {

    private Dependents() {
    }

    /** The objects PostgreSQL drops along with a table under CASCADE, and the DDL to put them back. */
    record OfTable(List<String> drops, List<String> recreate) {
        boolean isEmpty() {
            return drops.isEmpty();
        }
    }

    /** An index or sequence that belongs to a table and moves with it. */
    record Owned(String kind, String name) { }

    /** DDL that recreates the indexes, constraints and comment that dropping this column drops. */
    static List<String> ofColumn(Connection c, TableShape shape, String column) throws SQLException {
        int attnum = attnum(c, shape.oid(), column);
        List<String> ddl = new ArrayList<>();
        ddl.addAll(strings(c, "select format('alter table %I.%I add constraint %I %s', n.nspname, r.relname, k.conname,"
                + " pg_get_constraintdef(k.oid)) from pg_constraint k join pg_class r on r.oid = k.conrelid"
                + " join pg_namespace n on n.oid = r.relnamespace where k.contype in ('p','u','c','x','f')"
                + " and ((k.conrelid = ? and ? = any(k.conkey)) or (k.confrelid = ? and ? = any(k.confkey)))"
                + " order by k.contype = 'f', k.conname", shape.oid(), attnum, shape.oid(), attnum));
        ddl.addAll(strings(c, "select pg_get_indexdef(i.indexrelid) from pg_index i where i.indrelid = ?"
                + " and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid and k.conrelid = i.indrelid)"
                + " and exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = i.indexrelid"
                + " and d.refobjid = i.indrelid and d.refobjsubid = ?) order by i.indexrelid", shape.oid(), attnum));
        ddl.addAll(strings(c, "select format('comment on column %I.%I.%I is %L', ?::text, ?::text, ?::text, d)"
                + " from col_description(?, ?) d where d is not null", shape.schema(), shape.name(), column, shape.oid(), attnum));
        return ddl;
    }

    /** The foreign keys of other tables and the views that a DROP TABLE ... CASCADE drops with it. */
    static OfTable ofTable(Connection c, TableShape shape) throws SQLException {
        List<String> drops = new ArrayList<>();
        List<String> recreate = new ArrayList<>();
        String fks = "select format('%I.%I', n.nspname, r.relname), quote_ident(k.conname), pg_get_constraintdef(k.oid)"
                + " from pg_constraint k join pg_class r on r.oid = k.conrelid join pg_namespace n on n.oid = r.relnamespace"
                + " where k.confrelid = ? and k.conrelid <> k.confrelid and k.contype = 'f' order by k.conname";
        for (String[] fk : rows(c, fks, 3, shape.oid())) {
            drops.add("alter table " + fk[0] + " drop constraint " + fk[1]);
            recreate.add("alter table " + fk[0] + " add constraint " + fk[1] + " " + fk[2]);
        }
        String views = "select distinct format('%I.%I', n.nspname, v.relname), v.relkind = 'm', pg_get_viewdef(v.oid)"
                + " from pg_depend d join pg_rewrite w on w.oid = d.objid join pg_class v on v.oid = w.ev_class"
                + " join pg_namespace n on n.oid = v.relnamespace where d.classid = 'pg_rewrite'::regclass"
                + " and d.refobjid = ? and v.oid <> ?";
        for (String[] view : rows(c, views, 3, shape.oid(), shape.oid())) {
            boolean materialized = view[1].equals("t");
            drops.add("drop " + (materialized ? "materialized view " : "view ") + view[0] + " cascade");
            recreate.add("create " + (materialized ? "materialized view " : "view ") + view[0] + " as " + view[2]);
        }
        return new OfTable(drops, recreate);
    }

    /** The table's indexes and the sequences it owns (serial and identity columns). */
    static List<Owned> owned(Connection c, TableShape shape) throws SQLException {
        List<Owned> owned = new ArrayList<>();
        for (String name : strings(c, "select i.relname from pg_index x join pg_class i on i.oid = x.indexrelid"
                + " where x.indrelid = ? order by i.relname", shape.oid())) {
            owned.add(new Owned("index", name));
        }
        for (String name : strings(c, "select s.relname from pg_depend d join pg_class s on s.oid = d.objid"
                + " where d.classid = 'pg_class'::regclass and s.relkind = 'S' and d.refobjid = ? and d.deptype in ('a','i')"
                + " order by s.relname", shape.oid())) {
            owned.add(new Owned("sequence", name));
        }
        return owned;
    }

    /** Where the sequences behind these columns stand. */
    static List<ArchiveEntry.SequencePosition> sequences(Connection c, TableShape shape, List<String> columns) throws SQLException {
        List<ArchiveEntry.SequencePosition> positions = new ArrayList<>();
        for (String column : columns) {
            String sequence = one(c, "select pg_get_serial_sequence(?, ?)",
                    Identifiers.qualified(shape.schema(), shape.name()), column);
            if (sequence == null) {
                continue;
            }
            try (var st = c.createStatement(); ResultSet rs = st.executeQuery("select last_value, is_called from " + sequence)) {
                rs.next();
                positions.add(new ArchiveEntry.SequencePosition(column, sequence, rs.getLong(1), rs.getBoolean(2)));
            }
        }
        return positions;
    }

    /** Every table whose foreign keys reach this one, directly or not, the farthest first. */
    static List<Long> referencingTables(Connection c, long oid) throws SQLException {
        String sql = "with recursive r(oid, depth) as (select ?::oid, 0 union"
                + " select k.conrelid, r.depth + 1 from pg_constraint k join r on k.confrelid = r.oid"
                + " where k.contype = 'f' and k.conrelid <> k.confrelid and r.depth < 32)"
                + " select oid from r where oid <> ? group by oid order by max(depth) desc";
        List<Long> oids = new ArrayList<>();
        for (String s : strings(c, sql, oid, oid)) {
            oids.add(Long.parseLong(s));
        }
        return oids;
    }

    static Optional<TableShape> shape(Connection c, long oid) throws SQLException {
        String[] name = rows(c, "select n.nspname, r.relname from pg_class r join pg_namespace n on n.oid = r.relnamespace"
                + " where r.oid = ?", 2, oid).stream().findFirst().orElse(null);
        return name == null ? Optional.empty() : TableShape.exactly(c, name[0], name[1]);
    }

    private static int attnum(Connection c, long oid, String column) throws SQLException {
        return Integer.parseInt(one(c, "select attnum from pg_attribute where attrelid = ? and attname = ?", oid, column));
    }

    private static String one(Connection c, String sql, Object... args) throws SQLException {
        List<String> values = strings(c, sql, args);
        return values.isEmpty() ? null : values.get(0);
    }

    private static List<String> strings(Connection c, String sql, Object... args) throws SQLException {
        return rows(c, sql, 1, args).stream().map(r -> r[0]).toList();
    }

    private static List<String[]> rows(Connection c, String sql, int width, Object... args) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String[] row = new String[width];
                    for (int i = 0; i < width; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
