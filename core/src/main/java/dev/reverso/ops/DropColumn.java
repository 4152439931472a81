package dev.reverso.ops;

import dev.reverso.sql.Identifiers;

import java.util.List;
import java.util.Set;

/**
 * {@code drop_column}: the new version no longer shows the column; writes through it fill the
 * column from {@code down} so the old version keeps reading sensible values; complete drops it.
 */
record DropColumn(String table, String column, String down) implements Operation {

    static DropColumn read(Field f) throws DocumentError {
        f.only(Set.of("table", "column", "down"));
        return new DropColumn(f.text("table"), f.text("column"), f.optionalText("down").orElse(null));
    }

    @Override
    public String kind() {
        return "drop_column";
    }

    @Override
    public void plan(Planner p, String path) throws DocumentError {
        LiveTable t = p.table(path + ".table", table);
        LiveColumn c = p.column(path + ".column", t, column);
        if (t.primaryKey().contains(c.physical())) {
            throw new DocumentError(path + ".column", "column " + column + " is part of the primary key of " + table);
        }
        for (LiveConstraint fk : t.referencedBy()) {
            if (t.constraints().stream().anyMatch(k -> (k.type() == 'u' || k.type() == 'p') && k.columns().contains(c.physical()))
                    && fk.definition().contains("(" + Identifiers.quote(c.physical()) + ")")) {
                throw new DocumentError(path + ".column", "foreign key " + fk.name() + " references " + table + "." + column
                        + "; drop it first");
            }
        }
        t.removeColumn(column);
        String drop = "ALTER TABLE " + p.qualified(t) + " DROP COLUMN IF EXISTS " + Identifiers.quote(c.physical());
        if (down != null && !t.createdHere()) {
            p.dualWrite(t, List.of(), List.of(new DualWrite.Assign(c.physical(), down)), List.of(drop));
        } else {
            p.swap(t, List.of(drop));
        }
    }
}
