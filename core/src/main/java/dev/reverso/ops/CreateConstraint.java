package dev.reverso.ops;

import dev.reverso.sql.Identifiers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code create_constraint}: CHECK and FOREIGN KEY are added NOT VALID at start (new writes are
 * checked from then on) and validated on complete, under a lock that lets writes through;
 * UNIQUE is an index built concurrently and attached on complete. Unlike pgroll, the columns are
 * not duplicated: {@code up} and {@code down} are accepted and not used, so writes through the old
 * version must already satisfy the constraint once started.
 */
record CreateConstraint(String table, String name, String type, List<String> columns, String check, String refTable,
                        List<String> refColumns, String onDelete) implements Operation {

    static CreateConstraint read(Field f) throws DocumentError {
        f.only(Set.of("table", "name", "type", "columns", "check", "references", "up", "down"));
        String type = f.text("type").toLowerCase(Locale.ROOT);
        if (!Set.of("check", "unique", "foreign_key").contains(type)) {
            throw new DocumentError(f.path() + ".type", "expected check, unique or foreign_key");
        }
        f.expressions("up");
        f.expressions("down");
        List<String> columns = f.has("columns") ? f.texts("columns") : List.of();
        String check = type.equals("check") ? f.text("check") : null;
        String refTable = null;
        List<String> refColumns = List.of();
        String onDelete = "NO ACTION";
        if (type.equals("foreign_key")) {
            Field r = f.object("references").only(Set.of("table", "columns", "on_delete"));
            refTable = r.text("table");
            refColumns = r.texts("columns");
            onDelete = r.optionalText("on_delete").map(s -> s.toUpperCase(Locale.ROOT)).orElse("NO ACTION");
        }
        if (!type.equals("check") && columns.isEmpty()) {
            throw new DocumentError(f.path() + ".columns", "missing");
        }
        return new CreateConstraint(f.text("table"), f.text("name"), type, columns, check, refTable, refColumns, onDelete);
    }

    @Override
    public String kind() {
        return "create_constraint";
    }

    @Override
    public void plan(Planner p, String path) throws DocumentError {
        LiveTable t = p.table(path + ".table", table);
        if (t.constraint(name).isPresent()) {
            throw new DocumentError(path + ".name", "table " + table + " already has a constraint named " + name);
        }
        List<String> cols = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            cols.add(Identifiers.quote(p.column(path + ".columns[" + i + "]", t, columns.get(i)).physical()));
        }
        String qt = p.qualified(t);
        String qn = Identifiers.quote(name);
        String drop = "ALTER TABLE " + qt + " DROP CONSTRAINT IF EXISTS " + qn;
        boolean valid = t.createdHere();
        switch (type) {
            case "check" -> {
                Map<String, String> physical = new HashMap<>();
                t.columns().forEach(c -> physical.put(c.name(), c.physical()));
                p.expand("check " + name + (valid ? "" : " (NOT VALID)"), "ALTER TABLE " + qt + " ADD CONSTRAINT " + qn
                        + " CHECK (" + ColumnRewrite.apply(check, physical) + ")" + (valid ? "" : " NOT VALID"));
                p.undoLater("drop check " + name, drop);
            }
            case "foreign_key" -> {
                LiveTable target = p.table(path + ".references.table", refTable);
                List<String> refs = new ArrayList<>();
                for (int i = 0; i < refColumns.size(); i++) {
                    refs.add(Identifiers.quote(p.column(path + ".references.columns[" + i + "]", target, refColumns.get(i)).physical()));
                }
                p.expand("foreign key " + name + (valid ? "" : " (NOT VALID)"), "ALTER TABLE " + qt + " ADD CONSTRAINT " + qn
                        + " FOREIGN KEY (" + String.join(", ", cols) + ") REFERENCES " + p.qualified(target) + " ("
                        + String.join(", ", refs) + ") ON DELETE " + onDelete + (valid ? "" : " NOT VALID"));
                p.undoLater("drop foreign key " + name, drop);
            }
            default -> {
                String index = p.internalName("uq_" + name);
                p.buildIndex("build unique index for " + name, "CREATE UNIQUE INDEX CONCURRENTLY " + Identifiers.quote(index)
                        + " ON " + qt + " (" + String.join(", ", cols) + ")", index);
                p.afterRenames("attach " + name, "ALTER TABLE " + qt + " ADD CONSTRAINT " + qn + " UNIQUE USING INDEX "
                        + Identifiers.quote(index));
                t.addConstraint(new LiveConstraint(name, 'u', cols, "UNIQUE", null));
                return;
            }
        }
        if (!valid) {
            p.contract("validate " + name, "ALTER TABLE " + qt + " VALIDATE CONSTRAINT " + qn);
        }
        t.addConstraint(new LiveConstraint(name, type.equals("check") ? 'c' : 'f', cols, type, null));
    }
}
