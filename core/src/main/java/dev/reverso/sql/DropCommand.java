package dev.reverso.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Classifies DROP statements. */
final class DropCommand {

    private static final Set<String> RELATIONS = Set.of(
            "TABLE", "FOREIGN TABLE", "VIEW", "MATERIALIZED VIEW", "SEQUENCE", "INDEX");

    private DropCommand() {
    }

    /** Classifies the statement whose tokens follow DROP at the cursor. */
    static Classification classify(TokenCursor c) {
        Optional<String> objectType = ObjectTypeWords.read(c);
        if (objectType.isEmpty()) {
            return new ClassificationBuilder("DROP").guess(LockMode.ACCESS_EXCLUSIVE).unrecognised().build();
        }
        String type = objectType.get();
        ClassificationBuilder result = new ClassificationBuilder("DROP " + type);
        boolean concurrently = "INDEX".equals(type) && c.accept("CONCURRENTLY");
        if (concurrently) {
            result.command("DROP INDEX CONCURRENTLY").nonTransactional();
        }
        boolean ifExists = c.acceptIfExists();
        switch (type) {
            case "TRIGGER", "RULE", "POLICY" -> onTable(c, result);
            case "DATABASE", "TABLESPACE", "SUBSCRIPTION" -> result.nonTransactional();
            // Dropping an extension drops its member objects, which may be tables.
            case "EXTENSION", "OWNED" -> result.guess(LockMode.ACCESS_EXCLUSIVE);
            default -> objects(c, result, type, ifExists, concurrently);
        }
        return result.build();
    }

    private static void objects(TokenCursor c, ClassificationBuilder result, String type, boolean ifExists,
            boolean concurrently) {
        List<QualifiedName> names = names(c);
        if (RELATIONS.contains(type)) {
            // DROP INDEX also locks the index's table, which the text does not name.
            LockMode mode = concurrently ? LockMode.SHARE_UPDATE_EXCLUSIVE : LockMode.ACCESS_EXCLUSIVE;
            names.forEach(name -> result.lock(name, mode));
            result.atLeast(mode);
        }
        if (c.containsWord("CASCADE")) {
            // Dependent objects go too, and they may be columns or whole tables.
            result.guess(LockMode.ACCESS_EXCLUSIVE);
        }
        Optional<ObjectKind> kind = ObjectTypeWords.kind(type);
        if (kind.isPresent() && names.size() == 1) {
            QualifiedName name = names.get(0);
            result.change(new ObjectChange(ObjectChange.Action.DROP, kind.get(), name.schema(), name.name(), ifExists));
        }
    }

    /** The comma-separated names, skipping argument lists of functions. */
    private static List<QualifiedName> names(TokenCursor c) {
        List<QualifiedName> names = new ArrayList<>();
        while (!c.atEnd()) {
            Optional<QualifiedName> name = c.name();
            if (name.isEmpty() || name.get().parts().size() == 1 && isOption(name.get().name())) {
                break;
            }
            names.add(name.get());
            c.skipParens();
            if (!c.acceptSymbol(",")) {
                break;
            }
        }
        return names;
    }

    private static boolean isOption(String word) {
        return word.equals("cascade") || word.equals("restrict");
    }

    /** {@code DROP TRIGGER|RULE|POLICY name ON table}. */
    private static void onTable(TokenCursor c, ClassificationBuilder result) {
        c.name();
        if (c.accept("ON")) {
            c.name().ifPresent(table -> result.lock(table, LockMode.ACCESS_EXCLUSIVE));
        } else {
            result.guess(LockMode.ACCESS_EXCLUSIVE);
        }
    }
}
