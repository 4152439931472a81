package dev.reverso.ops;

import dev.reverso.sql.Identifiers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code create_table}: a new table, visible in the new version only; rollback drops it. */
record CreateTable(String name, List<ColumnSpec> columns, String comment, List<TableConstraint> constraints)
        implements Operation {

    /** A table-level constraint of pgroll's {@code constraints} list; a new table takes it inline. */
    record TableConstraint(String path, String name, String type, List<String> columns, String check, String refTable,
                           List<String> refColumns, String onDelete) {

        static TableConstraint read(Field f) throws DocumentError {
            f.only(Set.of("name", "type", "columns", "check", "references", "deferrable", "initially_deferred", "nulls_not_distinct",
                    "index_parameters", "exclude"));
            String type = f.text("type").toLowerCase(java.util.Locale.ROOT);
            if (!Set.of("unique", "check", "primary_key", "foreign_key").contains(type)) {
                throw new DocumentError(f.path() + ".type", "expected unique, check, primary_key or foreign_key");
            }
            Field refs = type.equals("foreign_key") ? f.object("references").only(Set.of("table", "columns", "on_delete",
                    "on_update", "match_type")) : null;
            return new TableConstraint(f.path(), f.text("name"), type, f.has("columns") ? f.texts("columns") : List.of(),
                    type.equals("check") ? f.text("check") : null, refs == null ? null : refs.text("table"),
                    refs == null ? List.of() : refs.texts("columns"),
                    refs == null ? "NO ACTION" : refs.optionalText("on_delete").map(x -> x.toUpperCase(java.util.Locale.ROOT)).orElse("NO ACTION"));
        }

        String sql(Planner p) throws DocumentError {
            String cols = String.join(", ", columns.stream().map(Identifiers::quote).toList());
            String head = "CONSTRAINT " + Identifiers.quote(name) + " ";
            return switch (type) {
                case "unique" -> head + "UNIQUE (" + cols + ")";
                case "primary_key" -> head + "PRIMARY KEY (" + cols + ")";
                case "check" -> head + "CHECK (" + check + ")";
                default -> head + "FOREIGN KEY (" + cols + ") REFERENCES "
                        + p.qualified(p.table(path + ".references.table", refTable)) + " ("
                        + String.join(", ", refColumns.stream().map(Identifiers::quote).toList()) + ") ON DELETE " + onDelete;
            };
        }
    }

    static CreateTable read(Field f) throws DocumentError {
        f.only(Set.of("name", "columns", "comment", "constraints"));
        List<ColumnSpec> columns = new ArrayList<>();
        for (Field c : f.array("columns")) {
            columns.add(ColumnSpec.read(c));
        }
        if (columns.isEmpty()) {
            throw new DocumentError(f.path() + ".columns", "a table needs at least one column");
        }
        List<TableConstraint> constraints = new ArrayList<>();
        if (f.has("constraints")) {
            for (Field c : f.array("constraints")) {
                constraints.add(TableConstraint.read(c));
            }
        }
        return new CreateTable(f.text("name"), columns, f.optionalText("comment").orElse(null), constraints);
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
        List<String> pkColumns = new ArrayList<>(columns.stream().filter(ColumnSpec::pk).map(ColumnSpec::name).toList());
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
        for (TableConstraint k : constraints) {
            for (int i = 0; i < k.columns().size(); i++) {
                if (!seen.contains(k.columns().get(i))) {
                    throw new DocumentError(k.path() + ".columns[" + i + "]", "column " + k.columns().get(i) + " is not a column of "
                            + name);
                }
            }
            defs.add(k.sql(p));
            if (k.type().equals("primary_key")) {
                k.columns().forEach(c -> pkColumns.add(c));
            }
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
        p.schema().add(PlannedSchema.created(name, live, pkColumns));
    }
}
