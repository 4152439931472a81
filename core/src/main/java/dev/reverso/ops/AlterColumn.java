package dev.reverso.ops;

import dev.reverso.sql.Identifiers;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code alter_column}. A rename alone is a rename. A new default or comment alone is set at start
 * (metadata only) and put back by rollback. Anything that changes what values the column accepts
 * (type, NOT NULL either way, CHECK, UNIQUE, FOREIGN KEY) duplicates the column: the new version
 * sees a copy with the new definition, the dual-write trigger converts with {@code up} and
 * {@code down}, the backfill converts existing rows, and complete drops the original and gives
 * the copy its name, indexes and constraints.
 */
record AlterColumn(String table, String column, String name, String type, Boolean nullable, Optional<String> newDefault,
                   ColumnSpec.Check check, String unique, ColumnSpec.References references, Optional<String> comment,
                   String up, String down) implements Operation {

    static AlterColumn read(Field f) throws DocumentError {
        f.only(Set.of("table", "column", "name", "type", "nullable", "default", "check", "unique", "references", "comment",
                "up", "down"));
        Optional<Field> check = f.optionalObject("check");
        Optional<Field> unique = f.optionalObject("unique");
        Optional<Field> refs = f.optionalObject("references");
        AlterColumn a = new AlterColumn(f.text("table"), f.text("column"), f.optionalText("name").orElse(null),
                f.optionalText("type").orElse(null), f.optionalBool("nullable").orElse(null), nullable(f, "default"),
                check.isPresent() ? ColumnSpec.Check.read(check.get()) : null,
                unique.isPresent() ? unique.get().only(Set.of("name")).text("name") : null,
                refs.isPresent() ? ColumnSpec.References.read(refs.get()) : null, nullable(f, "comment"),
                f.optionalText("up").orElse(null), f.optionalText("down").orElse(null));
        if (a.name == null && !a.duplicates() && a.newDefault == null && a.comment == null) {
            throw new DocumentError(f.path(), "nothing to change; give name, type, nullable, default, check, unique,"
                    + " references or comment");
        }
        return a;
    }

    /** Present and null means "drop it"; absent means "leave it". */
    private static Optional<String> nullable(Field f, String field) throws DocumentError {
        if (!f.has(field)) {
            return null;
        }
        return f.node().get(field).isNull() ? Optional.empty() : Optional.of(f.child(field).string());
    }

    private boolean duplicates() {
        return type != null || nullable != null || check != null || unique != null || references != null;
    }

    @Override
    public String kind() {
        return "alter_column";
    }

    @Override
    public void plan(Planner p, String path) throws DocumentError, SQLException {
        LiveTable t = p.table(path + ".table", table);
        LiveColumn c = p.column(path + ".column", t, column);
        if (!c.physical().equals(c.name()) && !t.createdHere()) {
            throw new DocumentError(path + ".column", "column " + column + " is being added or changed by an earlier"
                    + " operation of this migration; put the change there");
        }
        String qt = p.qualified(t);
        String qc = Identifiers.quote(c.physical());
        if (duplicates() && !t.createdHere()) {
            duplicate(p, path, t, c);
        } else {
            if (newDefault != null) {
                p.expand("set default of " + column, "ALTER TABLE " + qt + " ALTER COLUMN " + qc
                        + (newDefault.isPresent() ? " SET DEFAULT " + newDefault.get() : " DROP DEFAULT"));
                p.undoLater("restore default of " + column, "ALTER TABLE " + qt + " ALTER COLUMN " + qc
                        + (c.defaultExpr() != null ? " SET DEFAULT " + c.defaultExpr() : " DROP DEFAULT"));
                t.replaceColumn(column, new LiveColumn(c.name(), c.physical(), c.type(), c.notNull(), newDefault.orElse(null)));
            }
            if (duplicates()) {
                inPlace(p, path, t, c);
            }
        }
        if (comment != null) {
            String col = t.column(column).orElseThrow().physical();
            p.expand("comment on " + column, "COMMENT ON COLUMN " + qt + "." + Identifiers.quote(col) + " IS "
                    + comment.map(DualWrite::literal).orElse("NULL"));
        }
        if (name != null) {
            RenameColumn.apply(p, path, table, column, name, ".column", ".name");
        }
    }

    /** A table created by this migration is empty and unused: change the column directly. */
    private void inPlace(Planner p, String path, LiveTable t, LiveColumn c) throws DocumentError {
        String qt = p.qualified(t);
        String qc = Identifiers.quote(c.physical());
        List<String> sql = new ArrayList<>();
        if (type != null) {
            sql.add("ALTER TABLE " + qt + " ALTER COLUMN " + qc + " TYPE " + type);
        }
        if (nullable != null) {
            sql.add("ALTER TABLE " + qt + " ALTER COLUMN " + qc + (nullable ? " DROP NOT NULL" : " SET NOT NULL"));
        }
        if (check != null) {
            sql.add("ALTER TABLE " + qt + " ADD CONSTRAINT " + Identifiers.quote(check.name()) + " CHECK (" + check.constraint() + ")");
        }
        if (unique != null) {
            sql.add("ALTER TABLE " + qt + " ADD CONSTRAINT " + Identifiers.quote(unique) + " UNIQUE (" + qc + ")");
        }
        if (references != null) {
            sql.add("ALTER TABLE " + qt + " ADD " + references.sql(p, path + ".references", c.physical()));
        }
        p.expand("alter column " + c.name(), sql);
    }

    private void duplicate(Planner p, String path, LiveTable t, LiveColumn c) throws DocumentError, SQLException {
        if (t.primaryKey().contains(c.physical())) {
            throw new DocumentError(path + ".column", "column " + column + " is part of the primary key of " + table
                    + "; changing it in place is not supported");
        }
        for (LiveConstraint fk : t.referencedBy()) {
            if (fk.definition().matches(".*REFERENCES [^(]*\\(([^)]*, )?" + java.util.regex.Pattern.quote(Identifiers.quote(c.physical())) + "(, [^)]*)?\\).*")) {
                throw new DocumentError(path + ".column", "foreign key " + fk.name() + " references " + table + "." + column
                        + "; changing a referenced column is not supported");
            }
        }
        String newType = type != null ? type : c.type();
        if (type != null) {
            p.checkType(path + ".type", type);
        }
        String upExpr = up != null ? up : Identifiers.quote(c.name());
        String downExpr = down != null ? down : Identifiers.quote(c.name());
        p.checkExpression(path + ".up", t, "(" + upExpr + ")::" + newType);
        boolean newNullable = nullable != null ? nullable : !c.notNull();
        String def = newDefault != null ? newDefault.orElse(null) : c.defaultExpr();
        String qt = p.qualified(t);
        String temp = p.temporary(c.name());
        String qtemp = Identifiers.quote(temp);
        List<String> add = new ArrayList<>();
        add.add("ALTER TABLE " + qt + " ADD COLUMN " + qtemp + " " + newType);
        if (def != null) {
            // Added without it, then set: existing rows are filled by the backfill from up, so a
            // default here would only make the ADD COLUMN rewrite the table when it is volatile.
            add.add("ALTER TABLE " + qt + " ALTER COLUMN " + qtemp + " SET DEFAULT " + def);
        }
        p.expand("add column " + temp + " (" + newType + ") to stand in for " + c.name(), add);
        p.undoLater("drop column " + temp, "ALTER TABLE " + qt + " DROP COLUMN IF EXISTS " + qtemp);
        t.replaceColumn(c.name(), new LiveColumn(c.name(), temp, newType, !newNullable, def));
        p.dualWrite(t, List.of(new DualWrite.Assign(temp, upExpr)), List.of(new DualWrite.Assign(c.physical(), downExpr)),
                List.of("ALTER TABLE " + qt + " DROP COLUMN " + Identifiers.quote(c.physical())));
        p.backfill(t, path, temp, upExpr);
        copyConstraints(p, t, c, temp);
        Constraints.onNewColumn(p, t, path, c.name(), temp, newNullable, unique, check, references);
    }

    /** The original's own checks, foreign keys, unique constraints and indexes, rebuilt on the copy. */
    private static void copyConstraints(Planner p, LiveTable t, LiveColumn c, String temp) {
        String qt = p.qualified(t);
        Map<String, String> toTemp = Map.of(c.physical(), temp);
        for (LiveConstraint k : t.constraints()) {
            if (!k.columns().contains(c.physical())) {
                continue;
            }
            String copy = p.internalName("k_" + k.name());
            String def = k.definition();
            if (k.type() == 'c' || k.type() == 'f') {
                int refs = def.indexOf(" REFERENCES ");
                String own = refs < 0 ? def : def.substring(0, refs);
                String rewritten = ColumnRewrite.apply(own, toTemp) + (refs < 0 ? "" : def.substring(refs));
                p.expand("copy constraint " + k.name() + " (NOT VALID)", "ALTER TABLE " + qt + " ADD CONSTRAINT "
                        + Identifiers.quote(copy) + " " + rewritten.replace(" NOT VALID", "") + " NOT VALID");
                p.contract("validate the copy of " + k.name(), "ALTER TABLE " + qt + " VALIDATE CONSTRAINT " + Identifiers.quote(copy));
                p.afterRenames("rename the copy of " + k.name(), "ALTER TABLE " + qt + " RENAME CONSTRAINT "
                        + Identifiers.quote(copy) + " TO " + Identifiers.quote(k.name()));
            } else if (k.type() == 'u') {
                List<String> cols = k.columns().stream().map(x -> Identifiers.quote(x.equals(c.physical()) ? temp : x)).toList();
                p.buildIndex("build unique index for the copy of " + k.name(), "CREATE UNIQUE INDEX CONCURRENTLY "
                        + Identifiers.quote(copy) + " ON " + qt + " (" + String.join(", ", cols) + ")", copy);
                p.afterRenames("attach the copy of " + k.name(), "ALTER TABLE " + qt + " ADD CONSTRAINT "
                        + Identifiers.quote(k.name()) + " UNIQUE USING INDEX " + Identifiers.quote(copy));
            }
        }
        for (LiveIndex index : t.indexes()) {
            if (index.constraint() || !index.columns().contains(c.physical())) {
                continue;
            }
            String copy = p.internalName("i_" + index.name());
            String def = index.definition();
            int using = def.indexOf(" USING ");
            String head = def.substring(0, using).replaceFirst("^CREATE (UNIQUE )?INDEX \\S+ ON ",
                    "CREATE $1INDEX CONCURRENTLY " + java.util.regex.Matcher.quoteReplacement(Identifiers.quote(copy)) + " ON ");
            p.buildIndex("build a copy of index " + index.name(), head + ColumnRewrite.apply(def.substring(using), toTemp), copy);
            p.afterRenames("rename the copy of index " + index.name(), "ALTER INDEX "
                    + Identifiers.qualified(p.schema().name(), copy) + " RENAME TO " + Identifiers.quote(index.name()));
        }
    }
}
