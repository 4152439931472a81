package dev.reverso.archive;

import dev.reverso.sql.Identifiers;

/**
 * A table as a statement names it: the schema is null when the statement leaves it to the
 * search_path. {@link #sql()} is the name quoted for use in generated SQL, which the server
 * resolves the same way the statement's own text would be.
 */
public record TableName(String schema, String name) {

    public String sql() {
        return Identifiers.qualified(schema, name);
    }

    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
