package dev.reverso.ops;

import java.util.Set;

/** {@code rename_table}: the new version shows the table under its new name at once; complete renames it. */
record RenameTable(String from, String to) implements Operation {

    static RenameTable read(Field f) throws DocumentError {
        f.only(Set.of("from", "to"));
        return new RenameTable(f.text("from"), f.text("to"));
    }

    @Override
    public String kind() {
        return "rename_table";
    }

    @Override
    public void plan(Planner p, String path) throws DocumentError {
        p.table(path + ".from", from);
        if (p.schema().nameTaken(to)) {
            throw new DocumentError(path + ".to", "a table or index named " + to + " already exists");
        }
        p.schema().rename(from, to);
    }
}
