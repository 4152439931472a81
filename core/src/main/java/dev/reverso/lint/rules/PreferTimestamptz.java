package dev.reverso.lint.rules;

/** #48: timestamp without time zone. */
final class PreferTimestamptz extends ColumnTypeRule {

    @Override
    public String id() {
        return "prefer-timestamptz";
    }

    @Override
    boolean applies(Ddl.Column column) {
        return column.type().is("timestamp");
    }

    @Override
    String message(Ddl.Column column) {
        return qualified(column) + " is timestamp without time zone: it stores wall-clock time with no zone, so values "
                + "written from sessions in different time zones, or across a DST change, do not compare correctly";
    }

    @Override
    String replacement(Ddl.Column column) {
        Ddl.Type type = column.type();
        return type.as(type.length().isPresent() ? "timestamptz(" + type.length().getAsInt() + ")" : "timestamptz");
    }
}
