package dev.reverso.ops;

import dev.reverso.sql.Identifiers;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL of a version schema: one view per table, each column under its name in that version.
 * Single-table views of plain columns are automatically updatable, so an application writes
 * through them as through the tables. The views copy the tables' grants, so every role that can
 * use a table can use it through its version.
 */
final class ViewsSql {

    private ViewsSql() {
    }

    static List<String> create(String target, String versionSchema, List<LiveTable> tables, int serverMajor) {
        List<String> sql = new ArrayList<>();
        sql.add("CREATE SCHEMA " + Identifiers.quote(versionSchema));
        for (LiveTable t : tables) {
            String columns = t.columns().stream()
                    .map(c -> Identifiers.quote(c.physical()) + " AS " + Identifiers.quote(c.name()))
                    .collect(Collectors.joining(", "));
            sql.add("CREATE VIEW " + Identifiers.qualified(versionSchema, t.name()) + options(serverMajor) + " AS SELECT "
                    + columns + " FROM " + Identifiers.qualified(target, t.physical()));
        }
        sql.add(grants(target, versionSchema));
        return sql;
    }

    /** Views over every table as the catalog has it now, for a version whose raw SQL the plan could not follow. */
    static String rebuildFromCatalog(String target, String versionSchema, int serverMajor) {
        return "DO $reverso$\nDECLARE t record; cols text;\nBEGIN\n"
                + "  EXECUTE format('CREATE SCHEMA %I', " + DualWrite.literal(versionSchema) + ");\n"
                + "  FOR t IN SELECT c.oid, c.relname FROM pg_class c WHERE c.relnamespace = " + DualWrite.literal(target)
                + "::regnamespace AND c.relkind IN ('r','p') LOOP\n"
                + "    SELECT string_agg(format('%I', a.attname), ', ' ORDER BY a.attnum) INTO cols FROM pg_attribute a"
                + " WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped;\n"
                + "    EXECUTE format('CREATE VIEW %I.%I" + options(serverMajor).replace("%", "%%") + " AS SELECT %s FROM %I.%I', "
                + DualWrite.literal(versionSchema) + ", t.relname, cols, " + DualWrite.literal(target) + ", t.relname);\n"
                + "  END LOOP;\nEND $reverso$;\n" + grants(target, versionSchema);
    }

    /** security_invoker (PostgreSQL 15) makes the views check the caller's rights and row security, not ours. */
    private static String options(int serverMajor) {
        return serverMajor >= 15 ? " WITH (security_invoker = true)" : "";
    }

    /** A grantee as GRANT spells it: 0 is PUBLIC, and regrole's text is already quoted where needed. */
    private static final String GRANTEE = "CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END";

    private static String grants(String target, String versionSchema) {
        String vs = DualWrite.literal(versionSchema);
        return "DO $reverso$\nDECLARE g record;\nBEGIN\n"
                + "  FOR g IN SELECT DISTINCT " + GRANTEE + " AS who FROM pg_namespace n, aclexplode(n.nspacl) a"
                + " WHERE n.nspname = " + DualWrite.literal(target) + " AND a.privilege_type = 'USAGE' LOOP\n"
                + "    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %s', " + vs + ", g.who);\n"
                + "  END LOOP;\n"
                // A view's rule depends on each column it reads (refobjsubid), not on the table as a whole.
                + "  FOR g IN SELECT DISTINCT v.relname, a.privilege_type, " + GRANTEE + " AS who FROM pg_class v"
                + " JOIN pg_rewrite r ON r.ev_class = v.oid JOIN pg_depend d ON d.objid = r.oid AND d.classid = 'pg_rewrite'::regclass"
                + " JOIN pg_class t ON t.oid = d.refobjid AND t.oid <> v.oid AND t.relkind IN ('r','p'), aclexplode(t.relacl) a"
                + " WHERE v.relnamespace = " + vs + "::regnamespace AND a.grantee <> t.relowner LOOP\n"
                + "    EXECUTE format('GRANT %s ON %I.%I TO %s', g.privilege_type, " + vs + ", g.relname, g.who);\n"
                + "  END LOOP;\nEND $reverso$";
    }
}
