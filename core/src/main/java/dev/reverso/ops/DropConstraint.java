package dev.reverso.ops;

import dev.reverso.sql.Identifiers;

import java.util.Set;

/**
 * {@code drop_constraint}: the old version relies on the constraint, so it is dropped on complete.
 * pgroll's {@code up} and {@code down} are accepted; writes through the new version must still
 * satisfy the constraint until complete.
 */
record DropConstraint(String table, String name) implements Operation {

    static DropConstraint read(Field f) throws DocumentError {
        f.only(Set.of("table", "name", "up", "down", "column"));
        return new DropConstraint(f.text("table"), f.text("name"));
    }

    @Override
    public String kind() {
        return "drop_constraint";
    }

    @Override
    public void plan(Planner p, String path) throws DocumentError {
        LiveTable t = p.table(path + ".table", table);
        t.constraint(name).orElseThrow(() -> new DocumentError(path + ".name", "table " + table + " has no constraint named " + name));
        t.removeConstraint(name);
        p.contract("drop constraint " + name, "ALTER TABLE " + p.qualified(t) + " DROP CONSTRAINT IF EXISTS " + Identifiers.quote(name));
    }
}
