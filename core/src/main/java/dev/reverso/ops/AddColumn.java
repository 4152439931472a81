package dev.reverso.ops;

import dev.reverso.sql.Identifiers;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * {@code add_column}: the column is added under a temporary name that only the new version shows;
 * writes through the old version fill it from {@code up}, existing rows are backfilled in batches,
 * and its constraints are added NOT VALID and validated on complete, where it takes its name.
 */
record AddColumn(String table, ColumnSpec column, String up) implements Operation {

    static AddColumn read(Field f) throws DocumentError {
        f.only(Set.of("table", "column", "up"));
        return new AddColumn(f.text("table"), ColumnSpec.read(f.object("column")), f.optionalText("up").orElse(null));
    }

    @Override
    public String kind() {
        return "add_column";
    }

    @Override
    public void plan(Planner p, String path) throws DocumentError, SQLException {
        LiveTable t = p.table(path + ".table", table);
        String cpath = path + ".column";
        if (t.column(column.name()).isPresent()) {
            throw new DocumentError(cpath + ".name", "column " + column.name() + " already exists in table " + table);
        }
        column.check(p, cpath);
        String qt = p.qualified(t);
        if (t.createdHere()) {
            p.expand("add column " + table + "." + column.name(), "ALTER TABLE " + qt + " ADD COLUMN "
                    + column.definition(p, cpath, column.name(), true));
            t.addColumn(column.live(column.name()));
            return;
        }
        if (column.pk()) {
            throw new DocumentError(cpath + ".pk", "adding a primary key column to an existing table is not supported;"
                    + " add the column, then a unique index, then the primary key with raw SQL");
        }
        if (!column.nullable() && up == null && column.defaultExpr() == null) {
            throw new DocumentError(path + ".up", "a NOT NULL column without a default needs an up expression"
                    + " to fill the existing rows");
        }
        if (up != null) {
            p.checkExpression(path + ".up", t, up);
        }
        String temp = p.temporary(column.name());
        String qc = Identifiers.quote(temp);
        boolean volatileDefault = column.defaultExpr() != null && p.volatileDefault(column.type(), column.defaultExpr());
        if (volatileDefault) {
            // A volatile default would rewrite the table under ACCESS EXCLUSIVE: add the column bare,
            // set the default for new rows, and let the backfill fill the old ones.
            p.expand("add column " + table + "." + column.name() + " (as " + temp + ")",
                    "ALTER TABLE " + qt + " ADD COLUMN " + qc + " " + column.type(),
                    "ALTER TABLE " + qt + " ALTER COLUMN " + qc + " SET DEFAULT " + column.defaultExpr());
        } else {
            p.expand("add column " + table + "." + column.name() + " (as " + temp + ")",
                    "ALTER TABLE " + qt + " ADD COLUMN " + column.definition(p, cpath, temp, false));
        }
        p.undoLater("drop column " + temp, "ALTER TABLE " + qt + " DROP COLUMN IF EXISTS " + qc);
        if (column.comment() != null) {
            p.expand("comment on " + temp, "COMMENT ON COLUMN " + qt + "." + qc + " IS " + DualWrite.literal(column.comment()));
        }
        t.addColumn(column.live(temp));
        String fill = up != null ? up : volatileDefault ? column.defaultExpr() : null;
        if (up != null) {
            p.dualWrite(t, List.of(new DualWrite.Assign(temp, up)), List.of());
        }
        if (fill != null) {
            p.backfill(t, path, temp, fill);
        }
        Constraints.onNewColumn(p, t, path, column.name(), temp, column.nullable(),
                column.unique() ? Planner.shortened(t.name() + "_" + column.name() + "_key") : null, column.check(),
                column.references());
    }
}
