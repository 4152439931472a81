package dev.reverso.ops;

import dev.reverso.sql.Identifiers;

import java.util.List;
import java.util.Set;

/**
 * The trigger that keeps both representations of a changing column in step while two versions
 * are live. A write through the new version (its schema first on the search_path) fills the old
 * column from the migration's {@code down}; any other write fills the new column from its
 * {@code up}. The expressions see each column of their version as a variable of that name.
 * Backfill batches set {@code reverso.backfill} and skip the trigger: they compute the same
 * {@code up} themselves, without a PL/pgSQL call per row.
 *
 * @param function the trigger function, qualified
 * @param trigger the trigger's name
 * @param table the table, qualified
 * @param newSchema the new version's schema
 * @param oldColumns the old version's columns: variable name and physical column
 * @param up physical column and expression, for writes through the old version
 * @param newColumns the new version's columns
 * @param down physical column and expression, for writes through the new version
 */
record DualWrite(String function, String trigger, String table, String newSchema, List<Var> oldColumns,
                 List<Assign> up, List<Var> newColumns, List<Assign> down) {

    /** A column seen as a variable. */
    record Var(String name, String physical) {
    }

    /** A column filled from an expression. */
    record Assign(String column, String expression) {
    }

    /** The GUC a backfill batch sets, locally, to skip these triggers. */
    static final String SKIP_SETTING = "reverso.backfill";

    /** Names a PL/pgSQL trigger function already gives a meaning to. */
    private static final Set<String> RESERVED = Set.of("new", "old", "tg_op", "tg_name", "tg_when", "tg_level",
            "tg_relid", "tg_table_name", "tg_table_schema", "tg_nargs", "tg_argv", "found");

    List<String> createSql() {
        String body = "#variable_conflict use_column\nBEGIN\n"
                + "  IF (current_schemas(false))[1] IS NOT DISTINCT FROM " + literal(newSchema) + " THEN\n"
                + branch(newColumns, down)
                + "  ELSE\n"
                + branch(oldColumns, up)
                + "  END IF;\n  RETURN NEW;\nEND";
        String tag = dollarTag(body);
        return List.of(
                "CREATE OR REPLACE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql AS " + tag + "\n" + body + "\n" + tag,
                "CREATE TRIGGER " + Identifiers.quote(trigger) + " BEFORE INSERT OR UPDATE ON " + table
                        + " FOR EACH ROW WHEN (current_setting('" + SKIP_SETTING + "', true) IS DISTINCT FROM 'on')"
                        + " EXECUTE FUNCTION " + function + "()");
    }

    List<String> dropSql() {
        return List.of("DROP TRIGGER IF EXISTS " + Identifiers.quote(trigger) + " ON " + table,
                "DROP FUNCTION IF EXISTS " + function + "()");
    }

    /*
     * Every UPDATE fires it, not only an UPDATE OF the columns the expressions read: a row the
     * backfill has not reached yet has no value in the new column, and an update of any other
     * column would write it back empty (and fail the new column's NOT NULL check).
     */

    private String branch(List<Var> vars, List<Assign> assigns) {
        if (assigns.isEmpty()) {
            return "    NULL;\n";
        }
        // Only the columns the expressions name: each variable costs a copy per written row.
        java.util.Set<String> named = new java.util.HashSet<>();
        for (Assign a : assigns) {
            named.addAll(ColumnRewrite.identifiers(a.expression()));
        }
        StringBuilder s = new StringBuilder("    DECLARE\n");
        for (Var v : vars) {
            if (!RESERVED.contains(v.name()) && named.contains(v.name())) {
                s.append("      ").append(Identifiers.quote(v.name())).append(' ').append(table).append('.')
                        .append(Identifiers.quote(v.physical())).append("%TYPE := NEW.").append(Identifiers.quote(v.physical()))
                        .append(";\n");
            }
        }
        s.append("    BEGIN\n");
        for (Assign a : assigns) {
            s.append("      NEW.").append(Identifiers.quote(a.column())).append(" := (").append(a.expression()).append(");\n");
        }
        return s.append("    END;\n").toString();
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String dollarTag(String body) {
        String tag = "$reverso$";
        for (int i = 0; body.contains(tag); i++) {
            tag = "$reverso" + i + "$";
        }
        return tag;
    }
}
