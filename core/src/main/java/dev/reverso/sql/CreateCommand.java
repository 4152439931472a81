package dev.reverso.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Classifies CREATE statements. */
final class CreateCommand {

    private static final List<String> MODIFIERS = List.of(
            "GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED", "UNIQUE", "RECURSIVE", "TRUSTED",
            "PROCEDURAL", "CONSTRAINT", "DEFAULT");

    private CreateCommand() {
    }

    /** Classifies the statement whose tokens follow CREATE at the cursor. */
    static Classification classify(TokenCursor c) {
        boolean orReplace = c.accept("OR", "REPLACE");
        while (MODIFIERS.stream().anyMatch(c::accept)) {
            // modifiers do not change the command tag
        }
        Optional<String> objectType = ObjectTypeWords.read(c);
        if (objectType.isEmpty()) {
            return new ClassificationBuilder("CREATE").guess(LockMode.ACCESS_EXCLUSIVE).build();
        }
        String type = objectType.get();
        ClassificationBuilder result = new ClassificationBuilder("CREATE " + type);
        switch (type) {
            case "INDEX" -> index(c, result);
            case "TABLE", "FOREIGN TABLE" -> table(c, result, type);
            case "VIEW", "MATERIALIZED VIEW" -> view(c, result, type, orReplace);
            case "TRIGGER" -> onTable(c, result, LockMode.SHARE_ROW_EXCLUSIVE);
            case "RULE" -> rule(c, result);
            case "POLICY" -> onTable(c, result, LockMode.ACCESS_EXCLUSIVE);
            case "STATISTICS" -> statistics(c, result);
            case "DATABASE", "TABLESPACE" -> result.nonTransactional();
            case "SUBSCRIPTION" -> subscription(c, result);
            // Extension scripts and publications may touch existing tables; we cannot see how.
            case "EXTENSION", "PUBLICATION" -> result.guess(LockMode.NONE);
            case "SCHEMA" -> schema(c, result);
            default -> simpleObject(c, result, type);
        }
        return result.build();
    }

    private static void index(TokenCursor c, ClassificationBuilder result) {
        boolean concurrently = c.accept("CONCURRENTLY");
        boolean ifNotExists = c.acceptIfExists();
        Optional<QualifiedName> index = c.at("ON") ? Optional.empty() : c.name();
        c.accept("ON");
        c.accept("ONLY");
        Optional<QualifiedName> table = c.name();
        if (concurrently) {
            result.command("CREATE INDEX CONCURRENTLY").nonTransactional();
        }
        LockMode mode = concurrently ? LockMode.SHARE_UPDATE_EXCLUSIVE : LockMode.SHARE;
        table.ifPresentOrElse(t -> result.lock(t, mode), () -> result.atLeast(mode));
        // An index lives in its table's schema; its own name cannot be qualified.
        index.ifPresent(name -> result.change(new ObjectChange(ObjectChange.Action.CREATE, ObjectKind.INDEX,
                table.map(QualifiedName::schema).orElse(null), name.name(), ifNotExists)));
    }

    private static void table(TokenCursor c, ClassificationBuilder result, String type) {
        boolean ifNotExists = c.acceptIfExists();
        Optional<QualifiedName> table = c.name();
        boolean createTableAs = false;
        while (!c.atEnd()) {
            if (c.atSymbol("(")) {
                tableElements(c, result, table);
            } else if (c.accept("PARTITION", "OF")) {
                // The parent's partition descriptor changes, which needs ACCESS EXCLUSIVE.
                c.name().ifPresent(parent -> result.lock(parent, LockMode.ACCESS_EXCLUSIVE));
            } else if (c.accept("INHERITS")) {
                namesInParens(c).forEach(parent -> result.lock(parent, LockMode.SHARE_UPDATE_EXCLUSIVE));
            } else if (c.accept("AS")) {
                createTableAs = true;
                QueryRelations.read(c.tokens(), c.position())
                        .forEach(read -> result.lock(read, LockMode.ACCESS_SHARE));
                break;
            } else {
                c.next();
            }
        }
        if (createTableAs) {
            result.command("CREATE TABLE AS");
        }
        if ("TABLE".equals(type)) {
            table.ifPresent(name -> result.change(new ObjectChange(ObjectChange.Action.CREATE, ObjectKind.TABLE,
                    name.schema(), name.name(), ifNotExists)));
        }
    }

    /** Column definitions and table constraints: REFERENCES and LIKE name existing tables. */
    private static void tableElements(TokenCursor c, ClassificationBuilder result, Optional<QualifiedName> table) {
        int depth = 0;
        boolean elementStart = false;
        while (!c.atEnd()) {
            Token token = c.next();
            if (token.isSymbol("(")) {
                depth++;
                elementStart = depth == 1;
                continue;
            }
            if (token.isSymbol(")") && --depth == 0) {
                return;
            }
            if (token.isWord("REFERENCES")) {
                c.name().filter(referenced -> !isSameTable(referenced, table))
                        .ifPresent(referenced -> result.lock(referenced, LockMode.SHARE_ROW_EXCLUSIVE));
            } else if (elementStart && token.isWord("LIKE")) {
                c.name().ifPresent(source -> result.lock(source, LockMode.ACCESS_SHARE));
            }
            elementStart = depth == 1 && token.isSymbol(",");
        }
    }

    private static boolean isSameTable(QualifiedName referenced, Optional<QualifiedName> table) {
        return table.map(t -> t.text().equals(referenced.text())).orElse(false);
    }

    private static List<QualifiedName> namesInParens(TokenCursor c) {
        List<QualifiedName> names = new ArrayList<>();
        if (!c.acceptSymbol("(")) {
            return names;
        }
        while (!c.atEnd() && !c.acceptSymbol(")")) {
            c.name().ifPresentOrElse(names::add, c::next);
            c.acceptSymbol(",");
        }
        return names;
    }

    private static void view(TokenCursor c, ClassificationBuilder result, String type, boolean orReplace) {
        boolean ifNotExists = c.acceptIfExists();
        Optional<QualifiedName> view = c.name();
        if (orReplace) {
            // Replacing takes ACCESS EXCLUSIVE on the view, but only if it already exists.
            view.ifPresent(name -> result.lock(name, LockMode.ACCESS_EXCLUSIVE).guess(LockMode.NONE));
        }
        QueryRelations.read(c.tokens(), c.position()).forEach(read -> result.lock(read, LockMode.ACCESS_SHARE));
        ObjectKind kind = "VIEW".equals(type) ? ObjectKind.VIEW : ObjectKind.MATERIALIZED_VIEW;
        view.ifPresent(name -> result.change(
                new ObjectChange(ObjectChange.Action.CREATE, kind, name.schema(), name.name(), ifNotExists)));
    }

    /** {@code CREATE TRIGGER name ... ON table} and {@code CREATE POLICY name ON table}. */
    private static void onTable(TokenCursor c, ClassificationBuilder result, LockMode mode) {
        while (!c.atEnd() && !c.accept("ON")) {
            c.next();
        }
        c.name().ifPresent(table -> result.lock(table, mode));
    }

    /** {@code CREATE RULE name AS ON event TO table}. */
    private static void rule(TokenCursor c, ClassificationBuilder result) {
        while (!c.atEnd() && !c.accept("TO")) {
            c.next();
        }
        c.name().ifPresent(table -> result.lock(table, LockMode.ACCESS_EXCLUSIVE));
    }

    /** {@code CREATE STATISTICS ... FROM table}. */
    private static void statistics(TokenCursor c, ClassificationBuilder result) {
        while (!c.atEnd() && !c.accept("FROM")) {
            c.next();
        }
        c.name().ifPresent(table -> result.lock(table, LockMode.SHARE_UPDATE_EXCLUSIVE));
    }

    /** A subscription creates a replication slot, outside any transaction, unless told not to. */
    private static void subscription(TokenCursor c, ClassificationBuilder result) {
        List<Token> tokens = c.tokens();
        for (int i = c.position(); i + 2 < tokens.size(); i++) {
            boolean option = tokens.get(i).isWord("create_slot") || tokens.get(i).isWord("connect");
            if (option && tokens.get(i + 1).isSymbol("=") && isFalse(tokens.get(i + 2))) {
                return;
            }
        }
        result.nonTransactional();
    }

    static boolean isFalse(Token token) {
        String text = token.text().replace("'", "").toLowerCase(Locale.ROOT);
        return text.equals("false") || text.equals("off") || text.equals("0") || text.equals("no");
    }

    /** {@code CREATE SCHEMA [IF NOT EXISTS] name} or {@code CREATE SCHEMA AUTHORIZATION role}. */
    private static void schema(TokenCursor c, ClassificationBuilder result) {
        boolean ifNotExists = c.acceptIfExists();
        c.accept("AUTHORIZATION");
        c.name().ifPresent(name -> result.change(
                new ObjectChange(ObjectChange.Action.CREATE, ObjectKind.SCHEMA, null, name.name(), ifNotExists)));
    }

    /** Types, sequences, functions and objects that lock no existing relation. */
    private static void simpleObject(TokenCursor c, ClassificationBuilder result, String type) {
        Optional<ObjectKind> kind = ObjectTypeWords.kind(type);
        if (kind.isEmpty()) {
            return;
        }
        boolean ifNotExists = c.acceptIfExists();
        c.name().ifPresent(name -> result.change(new ObjectChange(
                ObjectChange.Action.CREATE, kind.get(), name.schema(), name.name(), ifNotExists)));
    }
}
