package dev.reverso.ops;

import java.util.Set;

/** {@code rename_column}: the new version shows the column under its new name at once; complete renames it. */
record RenameColumn(String table, String from, String to) implements Operation {

    static RenameColumn read(Field f) throws DocumentError {
        f.only(Set.of("table", "from", "to"));
        return new RenameColumn(f.text("table"), f.text("from"), f.text("to"));
    }

    @Override
    public String kind() {
        return "rename_column";
    }

    @Override
    public void plan(Planner p, String path) throws DocumentError {
        apply(p, path, table, from, to, ".from", ".to");
    }

    static void apply(Planner p, String path, String table, String from, String to, String fromField, String toField)
            throws DocumentError {
        LiveTable t = p.table(path + ".table", table);
        LiveColumn c = p.column(path + fromField, t, from);
        if (t.column(to).isPresent()) {
            throw new DocumentError(path + toField, "column " + to + " already exists in table " + table);
        }
        t.replaceColumn(from, c.renamed(to));
    }
}
