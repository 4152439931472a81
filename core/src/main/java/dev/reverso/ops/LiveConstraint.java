package dev.reverso.ops;

import java.util.List;

/**
 * A table constraint.
 *
 * @param name its name
 * @param type PostgreSQL's one-letter code: c check, f foreign key, p primary key, u unique, x exclusion
 * @param columns the constrained columns (physical names)
 * @param definition {@code pg_get_constraintdef}
 * @param referencedTable for a foreign key, the qualified table it references; otherwise null
 */
public record LiveConstraint(String name, char type, List<String> columns, String definition, String referencedTable) {
}
