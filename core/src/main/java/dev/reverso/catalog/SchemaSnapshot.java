package dev.reverso.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shape of a database's user schemas as text, one entry per object: tables, columns with
 * type, nullability and default, constraints, indexes, views, functions, triggers, sequences,
 * enum types and extensions. Keys name the object ({@code column public.users.email}); values are
 * its definition as the server prints it, so two snapshots compare with {@code equals}. Data is
 * not part of it; neither are PostgreSQL's own schemas or those excluded by the caller.
 *
 * @param objects key to definition, sorted by key
 */
public record SchemaSnapshot(Map<String, String> objects) {

    public SchemaSnapshot {
        objects = java.util.Collections.unmodifiableMap(new TreeMap<>(objects));
    }

    /**
     * Reads the snapshot.
     *
     * @param excluded schemas left out besides PostgreSQL's own (Reverso's history schema, say)
     */
    public static SchemaSnapshot read(Connection c, List<String> excluded) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        String[] queries = {
            // tables and what kind they are
            "select 'table ' || n.nspname || '.' || c.relname, case c.relkind when 'p' then 'partitioned table'"
                + " when 'f' then 'foreign table' else 'table' end || coalesce(' partition of ' || (select i.inhparent::regclass::text"
                + " from pg_inherits i where i.inhrelid = c.oid limit 1), '')"
                + " from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r','p','f') and %s",
            // columns; not their position: a down that re-adds a column can only add it at the end
            "select 'column ' || n.nspname || '.' || c.relname || '.' || a.attname, format_type(a.atttypid, a.atttypmod)"
                + " || case when a.attnotnull then ' not null' else '' end || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')"
                + " || case when a.attidentity <> '' then ' identity' else '' end || case when a.attgenerated <> '' then ' generated' else '' end"
                + " from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace"
                + " left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum"
                + " where a.attnum > 0 and not a.attisdropped and c.relkind in ('r','p','f','v','m') and %s",
            "select 'constraint ' || n.nspname || '.' || c.relname || '.' || k.conname, pg_get_constraintdef(k.oid)"
                + " from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace where %s",
            "select 'index ' || n.nspname || '.' || x.relname, pg_get_indexdef(i.indexrelid) || case when i.indisvalid then '' else ' (INVALID)' end"
                + " from pg_index i join pg_class x on x.oid = i.indexrelid join pg_namespace n on n.oid = x.relnamespace"
                + " join pg_class c on c.oid = i.indrelid where %s",
            "select case c.relkind when 'v' then 'view ' else 'materialized view ' end || n.nspname || '.' || c.relname,"
                + " pg_get_viewdef(c.oid, true) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where c.relkind in ('v','m') and %s",
            "select 'sequence ' || n.nspname || '.' || c.relname, format_type(s.seqtypid, null) || ' increment ' || s.seqincrement"
                + " || coalesce(' owned by ' || (select d.refobjid::regclass::text || '.' || a.attname from pg_depend d"
                + " join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid where d.objid = c.oid"
                + " and d.classid = 'pg_class'::regclass and d.deptype in ('a','i') limit 1), '')"
                + " from pg_sequence s join pg_class c on c.oid = s.seqrelid join pg_namespace n on n.oid = c.relnamespace where %s",
            "select 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',"
                + " pg_get_function_result(p.oid) || ' ' || md5(p.prosrc) from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
                + " where p.prokind in ('f','p') and %s",
            "select 'trigger ' || n.nspname || '.' || c.relname || '.' || t.tgname, pg_get_triggerdef(t.oid)"
                + " from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace"
                + " where not t.tgisinternal and %s",
            "select 'type ' || n.nspname || '.' || t.typname, 'enum (' || string_agg(e.enumlabel, ', ' order by e.enumsortorder) || ')'"
                + " from pg_type t join pg_enum e on e.enumtypid = t.oid join pg_namespace n on n.oid = t.typnamespace where %s"
                + " group by n.nspname, t.typname",
        };
        String userSchemas = "n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and n.nspname not like 'pg\\_temp%%'"
                + " and n.nspname not like 'pg\\_toast\\_temp%%' and not (n.nspname = any (?))"
                + " and not exists (select 1 from pg_depend x where x.objid = n.oid and x.deptype = 'e')";
        for (String q : queries) {
            try (PreparedStatement ps = c.prepareStatement(String.format(q, userSchemas))) {
                ps.setArray(1, c.createArrayOf("text", excluded.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("select 'extension ' || extname, extversion from pg_extension where extname <> 'plpgsql'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return new SchemaSnapshot(out);
    }

    /** What differs from another snapshot, in key order. */
    public List<Difference> against(SchemaSnapshot other) {
        java.util.TreeSet<String> keys = new java.util.TreeSet<>(objects.keySet());
        keys.addAll(other.objects.keySet());
        List<Difference> out = new java.util.ArrayList<>();
        for (String k : keys) {
            String mine = objects.get(k);
            String theirs = other.objects.get(k);
            if (!java.util.Objects.equals(mine, theirs)) {
                out.add(new Difference(k, mine, theirs));
            }
        }
        return out;
    }

    /**
     * One object that differs.
     *
     * @param object its key, such as {@code index public.users_email_idx}
     * @param here its definition in this snapshot, or null when only the other has it
     * @param there its definition in the other, or null when only this one has it
     */
    public record Difference(String object, String here, String there) {

        /** One line: {@code - only in A}, {@code + only in B}, or {@code ~ differs}. */
        public String describe(String a, String b) {
            if (there == null) {
                return "- " + object + ": only in " + a + " (" + here + ")";
            }
            if (here == null) {
                return "+ " + object + ": only in " + b + " (" + there + ")";
            }
            return "~ " + object + ": " + a + " has " + here + "; " + b + " has " + there;
        }
    }
}
