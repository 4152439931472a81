package dev.reverso.ops;

import dev.reverso.sql.Identifiers;

import java.util.Set;

/** {@code rename_constraint}: renamed on complete, since error handling in the old version may match on the name. */
record RenameConstraint(String table, String from, String to) implements Operation {

    static RenameConstraint read(Field f) throws DocumentError {
        f.only(Set.of("table", "from", "to"));
        return new RenameConstraint(f.text("table"), f.text("from"), f.text("to"));
    }

    @Override
    public String kind() {
        return "rename_constraint";
    }

    @Override
    public void plan(Planner p, String path) throws DocumentError {
        LiveTable t = p.table(path + ".table", table);
        t.constraint(from).orElseThrow(() -> new DocumentError(path + ".from", "table " + table + " has no constraint named " + from));
        if (t.constraint(to).isPresent()) {
            throw new DocumentError(path + ".to", "table " + table + " already has a constraint named " + to);
        }
        t.renameConstraint(from, to);
        p.contract("rename constraint " + from + " to " + to, "ALTER TABLE " + p.qualified(t) + " RENAME CONSTRAINT "
                + Identifiers.quote(from) + " TO " + Identifiers.quote(to));
    }
}
