package dev.reverso.sql;

import java.util.Objects;

/**
 * A table-level lock a statement takes on one relation it names.
 *
 * @param relation the relation as written, unquoted and case-folded, schema-qualified
 *                 ({@code schema.name}) if it was written so
 * @param mode     the lock taken on it
 */
public record RelationLock(String relation, LockMode mode) {

    public RelationLock {
        Objects.requireNonNull(relation, "relation");
        Objects.requireNonNull(mode, "mode");
    }
}
