package dev.reverso.ops;

import dev.reverso.sql.Identifiers;

import java.util.Set;

/** {@code drop_index}: the old version may still use the index, so it is dropped, concurrently, on complete. */
record DropIndex(String name) implements Operation {

    static DropIndex read(Field f) throws DocumentError {
        f.only(Set.of("name"));
        return new DropIndex(f.text("name"));
    }

    @Override
    public String kind() {
        return "drop_index";
    }

    @Override
    public void plan(Planner p, String path) throws DocumentError {
        LiveTable t = p.schema().tableOfIndex(name)
                .orElseThrow(() -> new DocumentError(path + ".name", "index " + name + " does not exist in schema " + p.schema().name()));
        LiveIndex index = t.indexes().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
        if (index.constraint()) {
            throw new DocumentError(path + ".name", "index " + name + " belongs to a constraint; use drop_constraint");
        }
        t.removeIndex(name);
        p.contract("drop index " + name, "DROP INDEX CONCURRENTLY IF EXISTS " + Identifiers.qualified(p.schema().name(), name));
    }
}
