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
        // DROP COLUMN ... CASCADE drops the views that use it (and theirs); without CASCADE it fails.
        ddl.addAll(views(c, shape.oid(), attnum));
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
        String views = "select format('%I.%I', n.nspname, v.relname), v.relkind = 'm' from pg_class v"
                + " join pg_namespace n on n.oid = v.relnamespace where v.oid = ?";
        for (long view : viewsOn(c, shape.oid(), 0)) {
            // The farthest first: one dropped before the view it uses; CASCADE would take it anyway.
            for (String[] v : rows(c, views, 2, view)) {
                drops.add(0, "drop " + (v[1].equals("t") ? "materialized view " : "view ") + "if exists " + v[0] + " cascade");
            }
        }
        recreate.addAll(views(c, shape.oid(), 0));
        return new OfTable(drops, recreate);
    }

    /** The tag of the DO block that recreates one view: a restore looks for it to bring views back. */
    static final String VIEW_BLOCK = "do $reverso_view$";

    /**
     * DDL that recreates the views (and materialized views) that depend on a table, or on one of
     * its columns ({@code attnum} > 0), and the views on those, nearest first: each as one DO
     * block that creates it only when it is missing (a user's down may have recreated it), with
     * its options, grants, comment, owner and, for a materialized view, its indexes.
     */
    static List<String> views(Connection c, long table, int attnum) throws SQLException {
        List<String> ddl = new ArrayList<>();
        String sql = "select format('%I.%I', n.nspname, v.relname), v.relkind = 'm',"
                + " coalesce(' with (' || array_to_string(v.reloptions, ', ') || ')', ''), pg_get_viewdef(v.oid),"
                + " v.relowner <> (select oid from pg_roles where rolname = current_user), quote_ident(pg_get_userbyid(v.relowner)),"
                + " obj_description(v.oid, 'pg_class'),"
                + " array(select format('grant %s on %I.%I to %s%s', a.privilege_type, n.nspname, v.relname,"
                + "   case a.grantee when 0 then 'public' else quote_ident(pg_get_userbyid(a.grantee)) end,"
                + "   case when a.is_grantable then ' with grant option' else '' end)"
                + "   from aclexplode(v.relacl) a where a.grantee <> v.relowner order by 1),"
                + " array(select pg_get_indexdef(i.indexrelid) from pg_index i where i.indrelid = v.oid order by i.indexrelid),"
                + " v.relispopulated"
                + " from pg_class v join pg_namespace n on n.oid = v.relnamespace where v.oid = ?";
        for (long view : viewsOn(c, table, attnum)) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, view);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                    String name = rs.getString(1);
                    boolean materialized = rs.getBoolean(2);
                    String kind = materialized ? "materialized view " : "view ";
                    String definition = rs.getString(4).strip();
                    definition = definition.endsWith(";") ? definition.substring(0, definition.length() - 1) : definition;
                    List<String> body = new ArrayList<>();
                    body.add("create " + kind + name + rs.getString(3) + " as " + definition
                            + (materialized && !rs.getBoolean(10) ? " with no data" : ""));
                    body.addAll(List.of((String[]) rs.getArray(9).getArray()));
                    body.addAll(List.of((String[]) rs.getArray(8).getArray()));
                    if (rs.getString(7) != null) {
                        body.add("comment on " + kind + name + " is " + literal(rs.getString(7)));
                    }
                    StringBuilder block = new StringBuilder(VIEW_BLOCK + " begin if to_regclass(" + literal(name) + ") is null then");
                    for (String statement : body) {
                        block.append(" execute ").append(literal(statement)).append(';');
                    }
                    if (rs.getBoolean(5)) {
                        // Its owner was another role: given back when the restoring role may, else it keeps the view.
                        block.append(" begin execute ").append(literal("alter " + kind + name + " owner to " + rs.getString(6)))
                                .append("; exception when insufficient_privilege then null; end;");
                    }
                    ddl.add(block.append(" end if; end $reverso_view$").toString());
                }
            }
        }
        return ddl;
    }

    /** The views that use a table (or one of its columns), and the views that use those, nearest first. */
    private static List<Long> viewsOn(Connection c, long table, int attnum) throws SQLException {
        String sql = "with recursive dep(oid, depth) as ("
                + " select w.ev_class, 1 from pg_depend d join pg_rewrite w on w.oid = d.objid"
                + " where d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass and d.refobjid = ?"
                + " and (? = 0 or d.refobjsubid = ?) and w.ev_class <> ?"
                + " union select w.ev_class, dep.depth + 1 from dep join pg_depend d on d.refobjid = dep.oid"
                + " and d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass"
                + " join pg_rewrite w on w.oid = d.objid where w.ev_class <> dep.oid and dep.depth < 32)"
                + " select oid from dep group by oid order by max(depth), oid";
        List<Long> oids = new ArrayList<>();
        for (String s : strings(c, sql, table, attnum, attnum, table)) {
            oids.add(Long.parseLong(s));
        }
        return oids;
    }

    /**
     * What a table moved into the archive must not keep live, and the DDL that gives it back when it
     * is moved back: its own foreign keys (added NOT VALID, then validated, so rows whose parent was
     * deleted meanwhile leave the key NOT VALID rather than the table in the archive), triggers,
     * rules, policies, row-level security flags and grants. Both name the table where it is now.
     */
    static OfTable own(Connection c, TableShape shape) throws SQLException {
        List<String> drops = new ArrayList<>();
        List<String> recreate = new ArrayList<>();
        String table = Identifiers.qualified(shape.schema(), shape.name());
        for (String[] fk : rows(c, "select quote_ident(conname), pg_get_constraintdef(oid) from pg_constraint"
                + " where conrelid = ? and contype = 'f' order by conname", 2, shape.oid())) {
            drops.add("alter table " + table + " drop constraint " + fk[0]);
            recreate.add("alter table " + table + " add constraint " + fk[0] + " " + fk[1] + " not valid");
            recreate.add("alter table " + table + " validate constraint " + fk[0]);
        }
        for (String[] trigger : rows(c, "select quote_ident(tgname), pg_get_triggerdef(oid), tgenabled from pg_trigger"
                + " where tgrelid = ? and not tgisinternal order by tgname", 3, shape.oid())) {
            drops.add("drop trigger " + trigger[0] + " on " + table);
            recreate.add(trigger[1]);
            enabled(recreate, table, "trigger " + trigger[0], trigger[2]);
        }
        for (String[] rule : rows(c, "select quote_ident(rulename), pg_get_ruledef(oid), ev_enabled from pg_rewrite"
                + " where ev_class = ? and rulename <> '_RETURN' order by rulename", 3, shape.oid())) {
            drops.add("drop rule " + rule[0] + " on " + table);
            recreate.add(rule[1]);
            enabled(recreate, table, "rule " + rule[0], rule[2]);
        }
        for (String[] policy : rows(c, "select quote_ident(polname), format('create policy %I on %I.%I as %s for %s to %s%s%s',"
                + " polname, ?::text, ?::text, case when polpermissive then 'permissive' else 'restrictive' end,"
                + " case polcmd when 'r' then 'select' when 'a' then 'insert' when 'w' then 'update' when 'd' then 'delete'"
                + " else 'all' end, (select string_agg(case r when 0 then 'public' else quote_ident(pg_get_userbyid(r)) end, ', ')"
                + " from unnest(polroles) r), coalesce(' using (' || pg_get_expr(polqual, polrelid) || ')', ''),"
                + " coalesce(' with check (' || pg_get_expr(polwithcheck, polrelid) || ')', ''))"
                + " from pg_policy where polrelid = ? order by polname", 2, shape.schema(), shape.name(), shape.oid())) {
            drops.add("drop policy " + policy[0] + " on " + table);
            recreate.add(policy[1]);
        }
        String[] flags = rows(c, "select relrowsecurity, relforcerowsecurity from pg_class where oid = ?", 2, shape.oid()).get(0);
        recreate.add("alter table " + table + (flags[0].equals("t") ? " enable" : " disable") + " row level security, "
                + (flags[1].equals("t") ? "force" : "no force") + " row level security");
        recreate.addAll(grants(c, shape.oid(), table));
        return new OfTable(drops, recreate);
    }

    /**
     * What ties a table to the application's own types and functions, so that a migration dropping
     * those after moving the table away (DROP TABLE t; DROP TYPE t_status) is not refused because of
     * the archive: its columns of the application's types become text, and its defaults, CHECK
     * constraints and the indexes that need such a type, function or operator class are dropped;
     * the recreate statements put each back, in order, once the table is moved back.
     */
    static OfTable typeFree(Connection c, TableShape shape, StoredColumns stored) throws SQLException {
        List<String> drops = new ArrayList<>();
        List<String> recreate = new ArrayList<>();
        String table = Identifiers.qualified(shape.schema(), shape.name());
        List<TableShape.Column> converted = shape.columns().stream().filter(col -> stored.asText(col.name())).toList();
        String userTyped = converted.isEmpty() ? "false" : "a.attname in (" + String.join(", ",
                converted.stream().map(col -> "'" + col.name().replace("'", "''") + "'").toList()) + ")";
        // Indexes made by constraints (primary key, unique, exclusion) go and come back with them.
        for (String[] index : rows(c, "select quote_ident(x.relname), pg_get_indexdef(i.indexrelid) from pg_index i"
                + " join pg_class x on x.oid = i.indexrelid where i.indrelid = ?"
                + " and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid and k.conrelid = i.indrelid)"
                + " and (exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = i.indexrelid"
                + " and " + foreign("d") + ") or exists (select 1 from pg_attribute a where a.attrelid = i.indrelid"
                + " and a.attnum = any(i.indkey) and (" + userTyped + "))"
                + " or i.indexprs is not null and " + (converted.isEmpty() ? "false" : "true") + ") order by 1",
                2, shape.oid())) {
            drops.add("drop index " + Identifiers.quote(shape.schema()) + "." + index[0]);
            recreate.add(index[1]);
        }
        List<String> validate = new ArrayList<>();
        for (String[] check : rows(c, "select quote_ident(conname), pg_get_constraintdef(oid) from pg_constraint"
                + " where conrelid = ? and contype = 'c' order by conname", 2, shape.oid())) {
            drops.add("alter table " + table + " drop constraint " + check[0]);
            boolean wasValid = !check[1].endsWith(" NOT VALID");
            validate.add("alter table " + table + " add constraint " + check[0] + " "
                    + (wasValid ? check[1] + " not valid" : check[1]));
            if (wasValid) {
                validate.add("alter table " + table + " validate constraint " + check[0]);
            }
        }
        List<String> defaults = new ArrayList<>();
        for (TableShape.Column col : shape.columns()) {
            boolean ownSequence = col.defaultSql() != null && col.defaultSql().startsWith("nextval(")
                    && one(c, "select pg_get_serial_sequence(?, ?)", table, col.name()) != null;
            if (col.defaultSql() != null && !col.generated() && !ownSequence && col.identity().isEmpty()) {
                drops.add("alter table " + table + " alter column " + Identifiers.quote(col.name()) + " drop default");
                defaults.add("alter table " + table + " alter column " + Identifiers.quote(col.name()) + " set default "
                        + col.defaultSql());
            }
        }
        if (!converted.isEmpty()) {
            drops.add("alter table " + table + " " + String.join(", ", converted.stream().map(col -> "alter column "
                    + Identifiers.quote(col.name()) + " type text using " + Identifiers.quote(col.name()) + "::text").toList()));
            recreate.add(0, "alter table " + table + " " + String.join(", ", converted.stream().map(col -> "alter column "
                    + Identifiers.quote(col.name()) + " type " + col.type() + (col.collation() == null ? "" : " collate "
                    + col.collation()) + " using " + Identifiers.quote(col.name()) + "::" + col.type()).toList()));
        }
        // Back in order: the types, then the defaults and checks that use them, then the indexes.
        List<String> ordered = new ArrayList<>();
        if (!converted.isEmpty()) {
            ordered.add(recreate.remove(0));
        }
        ordered.addAll(defaults);
        ordered.addAll(validate);
        ordered.addAll(recreate);
        return new OfTable(drops, ordered);
    }

    /** A pg_depend row (alias {@code d}) naming a type, function, operator, operator class or collation outside PostgreSQL's own schemas. */
    private static String foreign(String d) {
        String ours = " not in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)";
        return "(" + d + ".refclassid = 'pg_type'::regclass and (select typnamespace from pg_type where oid = " + d + ".refobjid)" + ours
                + " or " + d + ".refclassid = 'pg_proc'::regclass and (select pronamespace from pg_proc where oid = " + d + ".refobjid)" + ours
                + " or " + d + ".refclassid = 'pg_operator'::regclass and (select oprnamespace from pg_operator where oid = " + d
                + ".refobjid)" + ours
                + " or " + d + ".refclassid = 'pg_opclass'::regclass and (select opcnamespace from pg_opclass where oid = " + d
                + ".refobjid)" + ours
                + " or " + d + ".refclassid = 'pg_collation'::regclass and (select collnamespace from pg_collation where oid = " + d
                + ".refobjid)" + ours + ")";
    }

    private static void enabled(List<String> recreate, String table, String what, String state) {
        switch (state) {
            case "D" -> recreate.add("alter table " + table + " disable " + what);
            case "R" -> recreate.add("alter table " + table + " enable replica " + what);
            case "A" -> recreate.add("alter table " + table + " enable always " + what);
            default -> { }
        }
    }

    /** GRANTs that give a table's privileges, and its columns', back to every role but its owner. */
    private static List<String> grants(Connection c, long oid, String table) throws SQLException {
        return strings(c, "select format('grant %s%s on table %s to %s%s', a.privilege_type,"
                + " coalesce(' (' || quote_ident(a.col) || ')', ''), ?::text,"
                + " case a.grantee when 0 then 'public' else quote_ident(pg_get_userbyid(a.grantee)) end,"
                + " case when a.is_grantable then ' with grant option' else '' end)"
                + " from (select null::name col, (aclexplode(relacl)).* from pg_class where oid = ?"
                + " union all select attname, (aclexplode(attacl)).* from pg_attribute where attrelid = ? and attnum > 0"
                + " and not attisdropped) a join pg_class t on t.oid = ? where a.grantee <> t.relowner order by 1",
                table, oid, oid, oid);
    }

    /**
     * DDL that makes an archive table readable by its owner (and superusers, and BYPASSRLS roles)
     * alone: every grant revoked, and row-level security on with no policy, which hides every row
     * even from members of pg_read_all_data.
     */
    static List<String> seal(Connection c, String archive) throws SQLException {
        List<String> ddl = new ArrayList<>();
        ddl.add("alter table " + archive + " enable row level security, no force row level security");
        ddl.add("revoke all on table " + archive + " from public");
        // Revoking a table's privileges from a role revokes its column privileges as well.
        ddl.addAll(strings(c, "select distinct format('revoke all on table %s from %I', ?::text, pg_get_userbyid(a.grantee))"
                + " from pg_class t, lateral (select (aclexplode(t.relacl)).grantee union select (aclexplode(attacl)).grantee"
                + " from pg_attribute where attrelid = t.oid) a where t.oid = ?::regclass and a.grantee not in (0, t.relowner)",
                archive, archive));
        return ddl;
    }

    /**
     * What depends on a table that neither the archive's move nor its restore knows how to keep: a
     * rule or policy of another table, a function or column of its row type... DROP TABLE refuses
     * them without CASCADE, and with CASCADE drops them.
     */
    static List<String> unknownDependents(Connection c, TableShape shape) throws SQLException {
        String sql = "select distinct pg_describe_object(d.classid, d.objid, d.objsubid) from pg_depend d"
                + " where d.deptype = 'n' and (d.refclassid = 'pg_class'::regclass and d.refobjid = ?"
                + " or d.refclassid = 'pg_type'::regclass and d.refobjid = (select reltype from pg_class where oid = ?))"
                + " and not (d.classid = 'pg_constraint'::regclass and exists (select 1 from pg_constraint k where k.oid = d.objid"
                + "   and (k.conrelid = ? or k.contype = 'f')))"
                + " and not (d.classid = 'pg_rewrite'::regclass and exists (select 1 from pg_rewrite w join pg_class v"
                + "   on v.oid = w.ev_class where w.oid = d.objid and (w.ev_class = ? or w.rulename = '_RETURN' and v.relkind in ('v', 'm'))))"
                + " and not (d.classid = 'pg_trigger'::regclass and exists (select 1 from pg_trigger g where g.oid = d.objid and g.tgrelid = ?))"
                + " and not (d.classid = 'pg_policy'::regclass and exists (select 1 from pg_policy p where p.oid = d.objid and p.polrelid = ?))"
                + " and not (d.classid = 'pg_attrdef'::regclass and exists (select 1 from pg_attrdef a where a.oid = d.objid and a.adrelid = ?))"
                + " and not (d.classid = 'pg_class'::regclass and d.objid = ?)"
                + " order by 1";
        long oid = shape.oid();
        return strings(c, sql, oid, oid, oid, oid, oid, oid, oid, oid);
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
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
