package dev.reverso.sql;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The words that name a type of object after CREATE, ALTER or DROP, e.g. "MATERIALIZED VIEW". */
final class ObjectTypeWords {

    /** Longest first, so that "FOREIGN TABLE" wins over a shorter match. */
    private static final List<String[]> PHRASES = List.of(
                    "ACCESS METHOD", "AGGREGATE", "CAST", "COLLATION", "CONVERSION", "DATABASE",
                    "DEFAULT PRIVILEGES", "DOMAIN", "EVENT TRIGGER", "EXTENSION", "FOREIGN DATA WRAPPER",
                    "FOREIGN TABLE", "FUNCTION", "GROUP", "INDEX", "LANGUAGE", "LARGE OBJECT",
                    "MATERIALIZED VIEW", "OPERATOR CLASS", "OPERATOR FAMILY", "OPERATOR", "OWNED", "POLICY",
                    "PROCEDURE", "PUBLICATION", "ROLE", "ROUTINE", "RULE", "SCHEMA", "SEQUENCE", "SERVER",
                    "STATISTICS", "SUBSCRIPTION", "SYSTEM", "TABLE", "TABLESPACE", "TEXT SEARCH CONFIGURATION",
                    "TEXT SEARCH DICTIONARY", "TEXT SEARCH PARSER", "TEXT SEARCH TEMPLATE", "TRANSFORM",
                    "TRIGGER", "TYPE", "USER MAPPING", "USER", "VIEW")
            .stream()
            .map(phrase -> phrase.split(" "))
            .sorted(Comparator.comparingInt((String[] words) -> words.length).reversed())
            .toList();

    private ObjectTypeWords() {
    }

    /** Consumes the object type at the cursor and returns it in upper case, if one is there. */
    static Optional<String> read(TokenCursor cursor) {
        for (String[] words : PHRASES) {
            if (cursor.accept(words)) {
                return Optional.of(String.join(" ", words));
            }
        }
        return Optional.empty();
    }

    /** The kind {@link ObjectChange} reports for an object type, if it is one of those. */
    static Optional<ObjectKind> kind(String objectType) {
        return switch (objectType) {
            case "INDEX" -> Optional.of(ObjectKind.INDEX);
            case "TABLE" -> Optional.of(ObjectKind.TABLE);
            case "VIEW" -> Optional.of(ObjectKind.VIEW);
            case "MATERIALIZED VIEW" -> Optional.of(ObjectKind.MATERIALIZED_VIEW);
            case "SEQUENCE" -> Optional.of(ObjectKind.SEQUENCE);
            case "SCHEMA" -> Optional.of(ObjectKind.SCHEMA);
            case "TYPE" -> Optional.of(ObjectKind.TYPE);
            case "FUNCTION" -> Optional.of(ObjectKind.FUNCTION);
            case "PROCEDURE" -> Optional.of(ObjectKind.PROCEDURE);
            default -> Optional.empty();
        };
    }
}
