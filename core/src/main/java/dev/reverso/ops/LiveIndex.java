package dev.reverso.ops;

import java.util.List;

/**
 * An index.
 *
 * @param name its name
 * @param columns its key columns (physical names); empty when it indexes expressions only
 * @param unique whether it is unique
 * @param constraint whether a constraint (primary key, unique, exclusion) owns it
 * @param definition {@code pg_get_indexdef}
 */
public record LiveIndex(String name, List<String> columns, boolean unique, boolean constraint, String definition) {
}
