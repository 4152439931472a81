package dev.reverso.sql;

import java.util.List;

/**
 * A possibly schema-qualified name as read from SQL text, each part unquoted and case-folded.
 *
 * @param parts the dot-separated parts, e.g. ["public", "users"]
 */
record QualifiedName(List<String> parts) {

    QualifiedName {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a name has at least one part");
        }
    }

    /** The last part. */
    String name() {
        return parts.get(parts.size() - 1);
    }

    /** The part before the last one, or null when the name is not qualified. */
    String schema() {
        return parts.size() > 1 ? parts.get(parts.size() - 2) : null;
    }

    /** The name without its last part, e.g. the table of a {@code table.column} reference. */
    QualifiedName parent() {
        return new QualifiedName(parts.subList(0, Math.max(1, parts.size() - 1)));
    }

    /** The parts joined with dots, as reported in {@link RelationLock#relation()}. */
    String text() {
        return String.join(".", parts);
    }
}
