package dev.reverso.ops;

import dev.reverso.sql.Identifiers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code create_table}: a new table, visible in the new version only; rollback drops it. */
record CreateTable(String name, List<ColumnSpec> columns, String comment) implements Operation {

    static CreateTable read(Field f) throws DocumentError {
        f.only(Set.of("name", "columns", "comment"));
        List<ColumnSpec> columns = new ArrayList<>();
        for (Field c : f.array("columns")) {
            columns.add(ColumnSpec.read(c));
        }
        if (columns.isEmpty()) {
            throw new DocumentError(f.path() + ".columns", "a table needs at least one column");
        }
        return new CreateTable(f.text("name"), columns, f.optionalText("comment").orElse(null));
    }

    @Override
    public String kind() {
        return "create_table";
    }

    @Override
    public void plan(Planner p, String path) throws DocumentError {
        if (p.schema().nameTaken(name)) {
            throw new DocumentError(path + ".name", "a table or index named " + name + " already exists");
        }
        Set<String> seen = new HashSet<>();
        List<String> defs = new ArrayList<>();
        List<String> pk = new ArrayList<>();
        List<LiveColumn> live = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            ColumnSpec c = columns.get(i);
            String cpath = path + ".columns[" + i + "]";
            if (!seen.add(c.name())) {
                throw new DocumentError(cpath + ".name", "column " + c.name() + " appears twice");
            }
            c.check(p, cpath);
            defs.add(c.definition(p, cpath, c.name(), true));
            if (c.pk()) {
                pk.add(Identifiers.quote(c.name()));
            }
            live.add(c.pk() ? new LiveColumn(c.name(), c.name(), c.type(), true, c.defaultExpr()) : c.live(c.name()));
        }
        if (!pk.isEmpty()) {
            defs.add("PRIMARY KEY (" + String.join(", ", pk) + ")");
        }
        String table = p.qualified(name);
        List<String> sql = new ArrayList<>();
        sql.add("CREATE TABLE " + table + " (" + String.join(", ", defs) + ")");
        if (comment != null) {
            sql.add("COMMENT ON TABLE " + table + " IS " + DualWrite.literal(comment));
        }
        for (ColumnSpec c : columns) {
            if (c.comment() != null) {
                sql.add("COMMENT ON COLUMN " + table + "." + Identifiers.quote(c.name()) + " IS " + DualWrite.literal(c.comment()));
            }
        }
        p.expand("create table " + name, sql);
        p.undoLater("drop table " + name, "DROP TABLE IF EXISTS " + table);
        p.schema().add(PlannedSchema.created(name, live, columns.stream().filter(ColumnSpec::pk).map(ColumnSpec::name).toList()));
    }
}
