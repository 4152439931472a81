package dev.reverso.ops;

import dev.reverso.sql.Identifiers;

import java.util.Map;

/**
 * The constraints of a column that is new or stands in for another, added so that they never
 * scan the table under a lock that blocks writes: NOT NULL as a CHECK added NOT VALID and
 * validated on complete (then made a real NOT NULL, which the validated check makes instant);
 * CHECK and FOREIGN KEY added NOT VALID and validated on complete; UNIQUE as an index built
 * concurrently, attached as the constraint on complete.
 */
final class Constraints {

    private Constraints() {
    }

    static void onNewColumn(Planner p, LiveTable t, String path, String name, String temp, boolean nullable, String unique,
                            ColumnSpec.Check check, ColumnSpec.References references) throws DocumentError {
        String qt = p.qualified(t);
        String qc = Identifiers.quote(temp);
        if (!nullable) {
            String nn = p.internalName("nn_" + name);
            p.expand("NOT NULL on " + temp + " (as a NOT VALID check)", "ALTER TABLE " + qt + " ADD CONSTRAINT "
                    + Identifiers.quote(nn) + " CHECK (" + qc + " IS NOT NULL) NOT VALID");
            p.contract("prove " + name + " NOT NULL", "ALTER TABLE " + qt + " VALIDATE CONSTRAINT " + Identifiers.quote(nn));
            p.contract("make " + name + " NOT NULL", "ALTER TABLE " + qt + " ALTER COLUMN " + qc + " SET NOT NULL",
                    "ALTER TABLE " + qt + " DROP CONSTRAINT " + Identifiers.quote(nn));
        }
        if (check != null) {
            String expr = ColumnRewrite.apply(check.constraint(), Map.of(name, temp));
            p.expand("check " + check.name() + " (NOT VALID)", "ALTER TABLE " + qt + " ADD CONSTRAINT "
                    + Identifiers.quote(check.name()) + " CHECK (" + expr + ") NOT VALID");
            p.contract("validate " + check.name(), "ALTER TABLE " + qt + " VALIDATE CONSTRAINT " + Identifiers.quote(check.name()));
        }
        if (references != null) {
            p.expand("foreign key " + references.name() + " (NOT VALID)", "ALTER TABLE " + qt + " ADD "
                    + references.sql(p, path + ".references", temp) + " NOT VALID");
            p.contract("validate " + references.name(), "ALTER TABLE " + qt + " VALIDATE CONSTRAINT "
                    + Identifiers.quote(references.name()));
        }
        if (unique != null) {
            String index = p.internalName("uq_" + name);
            p.buildIndex("build unique index on " + temp, "CREATE UNIQUE INDEX CONCURRENTLY " + Identifiers.quote(index)
                    + " ON " + qt + " (" + qc + ")", index);
            p.afterRenames("make " + name + " UNIQUE", "ALTER TABLE " + qt + " ADD CONSTRAINT "
                    + Identifiers.quote(unique) + " UNIQUE USING INDEX "
                    + Identifiers.quote(index));
        }
    }
}
