package dev.reverso.ops;

import dev.reverso.sql.Identifiers;

import java.util.Optional;
import java.util.Set;

/**
 * A column as create_table and add_column describe it. As in pgroll, a column is NOT NULL unless
 * it says {@code "nullable": true}.
 */
record ColumnSpec(String name, String type, boolean nullable, boolean pk, boolean unique, String defaultExpr,
                  Check check, References references, String comment) {

    /** A named CHECK constraint. */
    record Check(String name, String constraint) {
        static Check read(Field f) throws DocumentError {
            f.only(Set.of("name", "constraint"));
            return new Check(f.text("name"), f.text("constraint"));
        }
    }

    /** A named single-column foreign key. */
    record References(String name, String table, String column, String onDelete) {
        private static final Set<String> ON_DELETE = Set.of("NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT");

        static References read(Field f) throws DocumentError {
            f.only(Set.of("name", "table", "column", "on_delete"));
            String onDelete = f.optionalText("on_delete").map(s -> s.toUpperCase(java.util.Locale.ROOT)).orElse("NO ACTION");
            if (!ON_DELETE.contains(onDelete)) {
                throw new DocumentError(f.path() + ".on_delete", "expected one of " + String.join(", ", ON_DELETE));
            }
            return new References(f.text("name"), f.text("table"), f.text("column"), onDelete);
        }

        /** The constraint as ALTER TABLE ADD spells it, on a column of the referencing table. */
        String sql(Planner p, String path, String column) throws DocumentError {
            LiveTable target = p.table(path + ".table", table);
            String referenced = p.column(path + ".column", target, this.column).physical();
            return "CONSTRAINT " + Identifiers.quote(name) + " FOREIGN KEY (" + Identifiers.quote(column) + ") REFERENCES "
                    + p.qualified(target) + " (" + Identifiers.quote(referenced) + ") ON DELETE " + onDelete;
        }
    }

    static ColumnSpec read(Field f) throws DocumentError {
        f.only(Set.of("name", "type", "nullable", "pk", "unique", "default", "check", "references", "comment"));
        Optional<Field> check = f.optionalObject("check");
        Optional<Field> refs = f.optionalObject("references");
        return new ColumnSpec(f.text("name"), f.text("type"), f.bool("nullable", false), f.bool("pk", false),
                f.bool("unique", false), f.optionalText("default").orElse(null), check.isPresent() ? Check.read(check.get()) : null,
                refs.isPresent() ? References.read(refs.get()) : null, f.optionalText("comment").orElse(null));
    }

    /** Validates what can be validated without the table: the type, and what it references. */
    void check(Planner p, String path) throws DocumentError {
        p.checkType(path + ".type", type);
        if (references != null) {
            LiveTable target = p.table(path + ".references.table", references.table());
            p.column(path + ".references.column", target, references.column());
        }
    }

    /** The column's definition inside CREATE TABLE or ADD COLUMN, under a given physical name. */
    String definition(Planner p, String path, String physical, boolean withConstraints) throws DocumentError {
        StringBuilder s = new StringBuilder(Identifiers.quote(physical)).append(' ').append(type);
        if (defaultExpr != null) {
            s.append(" DEFAULT ").append(defaultExpr);
        }
        if (withConstraints) {
            if (!nullable) {
                s.append(" NOT NULL");
            }
            if (unique) {
                s.append(" UNIQUE");
            }
            if (check != null) {
                s.append(" CONSTRAINT ").append(Identifiers.quote(check.name())).append(" CHECK (").append(check.constraint()).append(')');
            }
            if (references != null) {
                String fk = references.sql(p, path + ".references", physical);
                s.append(' ').append(fk.substring(0, fk.indexOf(" FOREIGN KEY"))).append(fk.substring(fk.indexOf(" REFERENCES")));
            }
        }
        return s.toString();
    }

    LiveColumn live(String physical) {
        return new LiveColumn(name, physical, type, !nullable, defaultExpr);
    }
}
