package dev.reverso.sql;

import java.util.Objects;

/**
 * The single object a CREATE or DROP statement creates or removes, for checking a migration
 * journal against the live catalog.
 *
 * @param action   whether the object is created or dropped
 * @param kind     what kind of object it is
 * @param schema   its schema as written (unquoted, case-folded), or null if the name was not
 *                 qualified; for {@code CREATE INDEX}, whose name cannot be qualified, the schema
 *                 of the table it is built on, if that was qualified
 * @param name     its name, unquoted and case-folded as PostgreSQL stores it
 * @param ifExists whether {@code IF EXISTS} (DROP) or {@code IF NOT EXISTS} (CREATE) was given
 */
public record ObjectChange(Action action, ObjectKind kind, String schema, String name, boolean ifExists) {

    /** Whether the object is created or dropped. */
    public enum Action { CREATE, DROP }

    public ObjectChange {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }
}
