package dev.reverso.lint.rules;

/** #49: json instead of jsonb. */
final class JsonColumn extends ColumnTypeRule {

    @Override
    public String id() {
        return "json-column";
    }

    @Override
    boolean applies(Ddl.Column column) {
        return column.type().is("json");
    }

    @Override
    String message(Ddl.Column column) {
        return qualified(column) + " is json: json has no equality operator, so SELECT DISTINCT, UNION, GROUP BY and "
                + "comparisons on it fail, it cannot be indexed with GIN, and it is re-parsed on every access";
    }

    @Override
    String replacement(Ddl.Column column) {
        return column.type().as("jsonb");
    }
}
