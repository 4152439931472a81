package dev.reverso.lint.rules;

/** #46: varchar(n). An opinion: raising the limit is cheap since 9.2, but lowering it rewrites. */
final class PreferTextOverVarchar extends ColumnTypeRule {

    @Override
    public String id() {
        return "prefer-text-over-varchar";
    }

    @Override
    boolean applies(Ddl.Column column) {
        return column.type().is("varchar") && column.type().length().isPresent();
    }

    @Override
    String message(Ddl.Column column) {
        return qualified(column) + " is " + column.type().text() + ": the limit is a business rule hidden in the type; "
                + "lowering it later rewrites the table, and text with a CHECK says the same and changes cheaply";
    }

    @Override
    String replacement(Ddl.Column column) {
        return limited(column, "<=");
    }

    /** text, with a length CHECK where a column definition can carry one. */
    static String limited(Ddl.Column column, String op) {
        String text = column.type().as("text");
        if (column.origin() == Ddl.Origin.ALTER_TYPE || column.type().array() || column.type().length().isEmpty()) {
            return text;
        }
        return text + " CHECK (char_length(" + column.name() + ") " + op + " " + column.type().length().getAsInt() + ")";
    }
}
