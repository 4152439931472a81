package dev.reverso.sql;

import java.util.Optional;

/** Classifies ALTER statements. */
final class AlterCommand {

    private AlterCommand() {
    }

    /** Classifies the statement whose tokens follow ALTER at the cursor. */
    static Classification classify(TokenCursor c) {
        Optional<String> objectType = ObjectTypeWords.read(c);
        if (objectType.isEmpty()) {
            return new ClassificationBuilder("ALTER").guess(LockMode.ACCESS_EXCLUSIVE).unrecognised().build();
        }
        String type = objectType.get();
        ClassificationBuilder result = new ClassificationBuilder("ALTER " + type);
        switch (type) {
            case "TABLE", "FOREIGN TABLE", "VIEW", "MATERIALIZED VIEW" -> table(c, result);
            case "INDEX" -> index(c, result);
            case "SEQUENCE" -> sequence(c, result);
            case "DOMAIN" -> domain(c, result);
            case "TRIGGER", "POLICY", "RULE" -> onTable(c, result);
            case "DATABASE" -> {
                if (setsTablespace(c)) {
                    result.nonTransactional();
                }
            }
            case "SYSTEM" -> result.nonTransactional();
            case "SUBSCRIPTION" -> subscription(c, result);
            case "EXTENSION" -> {
                if (c.containsWord("UPDATE")) {
                    result.guess(LockMode.ACCESS_EXCLUSIVE);
                }
            }
            default -> {
                // Other objects (types, functions, schemas, roles...) are not relations.
            }
        }
        return result.build();
    }

    private static void table(TokenCursor c, ClassificationBuilder result) {
        c.acceptIfExists();
        if (c.accept("ALL", "IN", "TABLESPACE")) {
            result.guess(LockMode.ACCESS_EXCLUSIVE);
            return;
        }
        c.accept("ONLY");
        Optional<QualifiedName> table = c.name();
        c.acceptSymbol("*");
        if (table.isEmpty()) {
            result.guess(LockMode.ACCESS_EXCLUSIVE);
            return;
        }
        TableAlteration.classify(table.get(), c, result);
    }

    private static void index(TokenCursor c, ClassificationBuilder result) {
        c.acceptIfExists();
        if (c.accept("ALL", "IN", "TABLESPACE")) {
            result.guess(LockMode.ACCESS_EXCLUSIVE);
            return;
        }
        Optional<QualifiedName> index = c.name();
        LockMode mode = LockMode.ACCESS_EXCLUSIVE;
        if (c.at("RENAME") || setsParameters(c)) {
            mode = LockMode.SHARE_UPDATE_EXCLUSIVE;
        } else if (c.accept("ALTER")) {
            c.accept("COLUMN");
            c.next();
            mode = c.at("SET", "STATISTICS") ? LockMode.SHARE_UPDATE_EXCLUSIVE : LockMode.ACCESS_EXCLUSIVE;
        } else if (c.accept("ATTACH", "PARTITION")) {
            mode = LockMode.SHARE_UPDATE_EXCLUSIVE;
            c.name().ifPresent(partition -> result.lock(partition, LockMode.ACCESS_EXCLUSIVE));
        }
        LockMode indexMode = mode;
        index.ifPresentOrElse(name -> result.lock(name, indexMode), () -> result.guess(indexMode));
    }

    private static boolean setsParameters(TokenCursor c) {
        Token next = c.peek(1);
        return (c.at("SET") || c.at("RESET")) && next != null && next.isSymbol("(");
    }

    private static void sequence(TokenCursor c, ClassificationBuilder result) {
        c.acceptIfExists();
        Optional<QualifiedName> sequence = c.name();
        // RENAME, SET SCHEMA, OWNER TO and SET [UN]LOGGED go through ALTER TABLE's machinery.
        boolean tableLike = c.at("RENAME") || c.at("SET", "SCHEMA") || c.at("OWNER")
                || c.at("SET", "LOGGED") || c.at("SET", "UNLOGGED");
        LockMode mode = tableLike ? LockMode.ACCESS_EXCLUSIVE : LockMode.SHARE_ROW_EXCLUSIVE;
        sequence.ifPresent(name -> result.lock(name, mode));
    }

    /** Adding a checked constraint or NOT NULL scans every table that uses the domain under SHARE. */
    private static void domain(TokenCursor c, ClassificationBuilder result) {
        c.name();
        boolean scans = (c.at("ADD") && !c.containsWord("VALID")) || c.at("SET", "NOT", "NULL")
                || c.at("VALIDATE");
        if (scans) {
            result.atLeast(LockMode.SHARE);
        }
    }

    /** {@code ALTER TRIGGER|POLICY|RULE name ON table ...} takes ACCESS EXCLUSIVE on the table. */
    private static void onTable(TokenCursor c, ClassificationBuilder result) {
        c.name();
        if (c.accept("ON")) {
            c.name().ifPresent(table -> result.lock(table, LockMode.ACCESS_EXCLUSIVE));
        } else {
            result.guess(LockMode.ACCESS_EXCLUSIVE);
        }
    }

    private static boolean setsTablespace(TokenCursor c) {
        c.name();
        return c.at("SET", "TABLESPACE");
    }

    /** Refreshing publications talks to the publisher and cannot be rolled back. */
    private static void subscription(TokenCursor c, ClassificationBuilder result) {
        c.name();
        boolean refreshes = c.at("REFRESH")
                || c.at("SET", "PUBLICATION") || c.at("ADD", "PUBLICATION") || c.at("DROP", "PUBLICATION");
        if (refreshes && !refreshDisabled(c)) {
            result.nonTransactional();
        }
    }

    private static boolean refreshDisabled(TokenCursor c) {
        var tokens = c.tokens();
        for (int i = c.position(); i + 2 < tokens.size(); i++) {
            if (tokens.get(i).isWord("refresh") && tokens.get(i + 1).isSymbol("=")
                    && CreateCommand.isFalse(tokens.get(i + 2))) {
                return true;
            }
        }
        return false;
    }
}
