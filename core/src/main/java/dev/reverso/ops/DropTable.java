package dev.reverso.ops;

import java.util.Set;

/** {@code drop_table}: the new version no longer shows the table; complete drops it. */
record DropTable(String name) implements Operation {

    static DropTable read(Field f) throws DocumentError {
        f.only(Set.of("name"));
        return new DropTable(f.text("name"));
    }

    @Override
    public String kind() {
        return "drop_table";
    }

    @Override
    public void plan(Planner p, String path) throws DocumentError {
        LiveTable t = p.table(path + ".name", name);
        for (LiveConstraint fk : t.referencedBy()) {
            if (!fk.name().startsWith(t.physical() + ".") && !fk.name().startsWith(p.qualified(t) + ".")) {
                throw new DocumentError(path + ".name", "foreign key " + fk.name() + " references " + name + "; drop it first");
            }
        }
        String qt = p.qualified(t);
        p.schema().remove(name);
        p.contract("drop table " + name, "DROP TABLE IF EXISTS " + qt);
    }
}
