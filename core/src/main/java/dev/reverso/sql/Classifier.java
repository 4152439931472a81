package dev.reverso.sql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tells, for one statement, which locks it takes, whether it may run in a transaction block,
 * whether it controls transactions, and which object it creates or drops.
 *
 * <p>It reads the statement's tokens, not a parse tree: it knows the lock levels PostgreSQL
 * documents for DDL, DML and maintenance commands, and guesses ({@code lockCertain = false})
 * for code it cannot see into (DO, CALL, EXECUTE, extensions) and for commands it does not
 * know, assuming ACCESS EXCLUSIVE. Relations locked only through functions, triggers,
 * cascades or views are not reported by name.
 */
public final class Classifier {

    private static final Set<String> LOCK_FREE_COMMANDS = Set.of(
            "SET", "RESET", "SHOW", "GRANT", "REVOKE", "LISTEN", "NOTIFY", "UNLISTEN", "CHECKPOINT",
            "LOAD", "DEALLOCATE", "FETCH", "MOVE", "CLOSE", "VALUES");

    /** Creates a classifier; it holds no state, so one instance can serve any number of statements. */
    public Classifier() {
    }

    /** Classifies one statement. */
    public Classification classify(Statement statement) {
        return classify(statement.tokens());
    }

    private Classification classify(List<Token> tokens) {
        TokenCursor c = new TokenCursor(tokens);
        Token first = c.next();
        if (first == null || first.type() != TokenType.WORD) {
            return unknown(first == null ? "" : first.upper());
        }
        String word = first.upper();
        return switch (word) {
            case "CREATE" -> CreateCommand.classify(c);
            case "ALTER" -> AlterCommand.classify(c);
            case "DROP" -> DropCommand.classify(c);
            case "INSERT", "UPDATE", "DELETE", "MERGE" -> dataChange(word, c);
            case "SELECT", "TABLE" -> query(c);
            case "WITH" -> with(c);
            case "COPY" -> copy(c);
            case "TRUNCATE" -> truncate(c);
            case "LOCK" -> lock(c);
            case "VACUUM" -> vacuum(c);
            case "ANALYZE", "ANALYSE" -> analyze(c);
            case "CLUSTER" -> cluster(c);
            case "REINDEX" -> reindex(c);
            case "REFRESH" -> refresh(c);
            case "COMMENT" -> comment(c);
            case "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE", "PREPARE" ->
                    transaction(word, c);
            case "DISCARD" -> discard(c);
            case "EXPLAIN" -> explain(c);
            case "DO", "CALL", "EXECUTE" -> new ClassificationBuilder(word).guess(LockMode.ACCESS_EXCLUSIVE).build();
            case "DECLARE" -> declare(c);
            case "SECURITY" -> new ClassificationBuilder("SECURITY LABEL")
                    .atLeast(LockMode.SHARE_UPDATE_EXCLUSIVE).build();
            case "IMPORT" -> new ClassificationBuilder("IMPORT FOREIGN SCHEMA").build();
            case "REASSIGN" -> new ClassificationBuilder("REASSIGN OWNED").guess(LockMode.ACCESS_EXCLUSIVE).build();
            default -> LOCK_FREE_COMMANDS.contains(word) ? new ClassificationBuilder(word).build() : unknown(word);
        };
    }

    private static Classification unknown(String command) {
        return new ClassificationBuilder(command).guess(LockMode.ACCESS_EXCLUSIVE).unrecognised().build();
    }

    private Classification dataChange(String word, TokenCursor c) {
        ClassificationBuilder result = new ClassificationBuilder(word);
        c.accept("INTO");
        c.accept("FROM");
        c.accept("ONLY");
        Optional<QualifiedName> target = c.name();
        target.ifPresentOrElse(t -> result.lock(t, LockMode.ROW_EXCLUSIVE), () -> result.guess(LockMode.ROW_EXCLUSIVE));
        readRelations(c, result);
        return result.build();
    }

    private Classification query(TokenCursor c) {
        ClassificationBuilder result = new ClassificationBuilder("SELECT");
        if (c.tokens().get(0).isWord("TABLE")) {
            c.accept("ONLY");
            c.name().ifPresent(table -> result.lock(table, LockMode.ACCESS_SHARE));
            return result.build();
        }
        boolean locksRows = lockingClause(c.tokens());
        LockMode mode = locksRows ? LockMode.ROW_SHARE : LockMode.ACCESS_SHARE;
        QueryRelations.read(c.tokens(), c.position()).forEach(read -> result.lock(read, mode));
        result.atLeast(mode);
        selectInto(c.tokens()).ifPresent(created -> result.command("SELECT INTO").change(new ObjectChange(
                ObjectChange.Action.CREATE, ObjectKind.TABLE, created.schema(), created.name(), false)));
        return result.build();
    }

    /** FOR UPDATE, FOR NO KEY UPDATE, FOR SHARE or FOR KEY SHARE. */
    private static boolean lockingClause(List<Token> tokens) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token next = tokens.get(i + 1);
            if (tokens.get(i).isWord("FOR")
                    && (next.isWord("UPDATE") || next.isWord("NO") || next.isWord("SHARE") || next.isWord("KEY"))) {
                return true;
            }
        }
        return false;
    }

    /** The table a top-level {@code SELECT ... INTO table} creates. */
    private static Optional<QualifiedName> selectInto(List<Token> tokens) {
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.isSymbol("(")) {
                depth++;
            } else if (token.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && token.isWord("INTO")) {
                TokenCursor into = new TokenCursor(tokens.subList(i + 1, tokens.size()));
                while (into.accept("TEMPORARY") || into.accept("TEMP") || into.accept("UNLOGGED")
                        || into.accept("TABLE")) {
                    // modifiers before the new table's name
                }
                return into.name();
            }
        }
        return Optional.empty();
    }

    /** WITH queries: the main statement after the common table expressions decides the command. */
    private Classification with(TokenCursor c) {
        c.accept("RECURSIVE");
        ClassificationBuilder result = new ClassificationBuilder("SELECT");
        Set<String> cteNames = new HashSet<>();
        while (!c.atEnd()) {
            c.name().ifPresent(name -> cteNames.add(name.text()));
            c.skipParens();
            c.accept("AS");
            c.accept("NOT");
            c.accept("MATERIALIZED");
            int bodyStart = c.position() + 1;
            c.skipParens();
            if (bodyStart < c.position()) {
                result.include(classify(c.tokens().subList(bodyStart, c.position() - 1)), cteNames);
            }
            skipSearchAndCycle(c);
            if (!c.acceptSymbol(",")) {
                break;
            }
        }
        Classification main = classify(c.tokens().subList(c.position(), c.tokens().size()));
        return result.command(main.command()).include(main, cteNames).build();
    }

    private static void skipSearchAndCycle(TokenCursor c) {
        while (c.at("SEARCH") || c.at("CYCLE")) {
            c.skipToComma();
        }
    }

    private static void readRelations(TokenCursor c, ClassificationBuilder result) {
        QueryRelations.read(c.tokens(), c.position()).forEach(read -> result.lock(read, LockMode.ACCESS_SHARE));
    }

    private Classification copy(TokenCursor c) {
        ClassificationBuilder result = new ClassificationBuilder("COPY");
        if (c.atSymbol("(")) {
            int start = c.position() + 1;
            c.skipParens();
            return result.include(classify(c.tokens().subList(start, c.position() - 1))).build();
        }
        Optional<QualifiedName> table = c.name();
        c.skipParens();
        LockMode mode = c.at("FROM") ? LockMode.ROW_EXCLUSIVE : LockMode.ACCESS_SHARE;
        table.ifPresent(t -> result.lock(t, mode));
        return result.build();
    }

    private Classification truncate(TokenCursor c) {
        ClassificationBuilder result = new ClassificationBuilder("TRUNCATE").atLeast(LockMode.ACCESS_EXCLUSIVE);
        c.accept("TABLE");
        do {
            c.accept("ONLY");
            c.name().ifPresent(table -> result.lock(table, LockMode.ACCESS_EXCLUSIVE));
            c.acceptSymbol("*");
        } while (c.acceptSymbol(","));
        return result.build();
    }

    private Classification lock(TokenCursor c) {
        ClassificationBuilder result = new ClassificationBuilder("LOCK TABLE");
        c.accept("TABLE");
        List<QualifiedName> tables = new ArrayList<>();
        do {
            c.accept("ONLY");
            c.name().ifPresent(tables::add);
            c.acceptSymbol("*");
        } while (c.acceptSymbol(","));
        LockMode mode = c.accept("IN") ? lockModeWords(c) : LockMode.ACCESS_EXCLUSIVE;
        tables.forEach(table -> result.lock(table, mode));
        return result.atLeast(mode).build();
    }

    private static LockMode lockModeWords(TokenCursor c) {
        StringBuilder words = new StringBuilder();
        while (!c.atEnd() && !c.at("MODE")) {
            words.append(words.length() == 0 ? "" : " ").append(c.next().upper());
        }
        for (LockMode mode : LockMode.values()) {
            if (mode.sqlName().contentEquals(words)) {
                return mode;
            }
        }
        return LockMode.ACCESS_EXCLUSIVE;
    }

    private Classification vacuum(TokenCursor c) {
        boolean full = false;
        if (c.atSymbol("(")) {
            full = optionEnabled(c, "FULL");
        }
        while (c.accept("FULL") || c.accept("FREEZE") || c.accept("VERBOSE") || c.accept("ANALYZE")
                || c.accept("ANALYSE")) {
            full |= c.tokens().get(c.position() - 1).isWord("FULL");
        }
        LockMode mode = full ? LockMode.ACCESS_EXCLUSIVE : LockMode.SHARE_UPDATE_EXCLUSIVE;
        ClassificationBuilder result = new ClassificationBuilder("VACUUM").nonTransactional().atLeast(mode);
        tableList(c).forEach(table -> result.lock(table, mode));
        return result.build();
    }

    private Classification analyze(TokenCursor c) {
        if (c.atSymbol("(")) {
            c.skipParens();
        }
        c.accept("VERBOSE");
        ClassificationBuilder result = new ClassificationBuilder("ANALYZE").atLeast(LockMode.SHARE_UPDATE_EXCLUSIVE);
        tableList(c).forEach(table -> result.lock(table, LockMode.SHARE_UPDATE_EXCLUSIVE));
        return result.build();
    }

    /** {@code name [(columns)], ...} as VACUUM and ANALYZE take them. */
    private static List<QualifiedName> tableList(TokenCursor c) {
        List<QualifiedName> tables = new ArrayList<>();
        do {
            c.accept("ONLY");
            c.name().ifPresent(tables::add);
            c.skipParens();
        } while (c.acceptSymbol(","));
        return tables;
    }

    /** Whether a parenthesised option list turns {@code option} on; consumes the list. */
    private static boolean optionEnabled(TokenCursor c, String option) {
        int start = c.position();
        c.skipParens();
        List<Token> options = c.tokens().subList(start, c.position());
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i).isWord(option)) {
                Token value = i + 1 < options.size() ? options.get(i + 1) : null;
                return value == null || value.isSymbol(",") || value.isSymbol(")") || !CreateCommand.isFalse(value);
            }
        }
        return false;
    }

    private Classification cluster(TokenCursor c) {
        if (c.atSymbol("(")) {
            c.skipParens();
        }
        c.accept("VERBOSE");
        ClassificationBuilder result = new ClassificationBuilder("CLUSTER").atLeast(LockMode.ACCESS_EXCLUSIVE);
        Optional<QualifiedName> table = c.name();
        if (c.accept("ON")) {
            // The old form: CLUSTER index ON table.
            table = c.name();
        }
        table.ifPresentOrElse(t -> result.lock(t, LockMode.ACCESS_EXCLUSIVE), result::nonTransactional);
        return result.build();
    }

    private Classification reindex(TokenCursor c) {
        boolean concurrently = c.atSymbol("(") && optionEnabled(c, "CONCURRENTLY");
        ClassificationBuilder result = new ClassificationBuilder("REINDEX");
        boolean wholeSchemaOrMore = c.at("SCHEMA") || c.at("DATABASE") || c.at("SYSTEM");
        boolean index = c.at("INDEX");
        c.next();
        concurrently |= c.accept("CONCURRENTLY");
        Optional<QualifiedName> target = c.name();
        if (concurrently || wholeSchemaOrMore) {
            result.nonTransactional();
        }
        if (concurrently) {
            result.atLeast(LockMode.SHARE_UPDATE_EXCLUSIVE);
            target.filter(t -> !wholeSchemaOrMore).ifPresent(t -> result.lock(t, LockMode.SHARE_UPDATE_EXCLUSIVE));
        } else {
            // The table gets SHARE, each index it rebuilds ACCESS EXCLUSIVE.
            result.atLeast(LockMode.ACCESS_EXCLUSIVE);
            LockMode named = index ? LockMode.ACCESS_EXCLUSIVE : LockMode.SHARE;
            target.filter(t -> !wholeSchemaOrMore).ifPresent(t -> result.lock(t, named));
        }
        return result.build();
    }

    private Classification refresh(TokenCursor c) {
        c.accept("MATERIALIZED", "VIEW");
        boolean concurrently = c.accept("CONCURRENTLY");
        LockMode mode = concurrently ? LockMode.EXCLUSIVE : LockMode.ACCESS_EXCLUSIVE;
        ClassificationBuilder result = new ClassificationBuilder("REFRESH MATERIALIZED VIEW").atLeast(mode);
        c.name().ifPresent(view -> result.lock(view, mode));
        return result.build();
    }

    /** COMMENT ON takes SHARE UPDATE EXCLUSIVE on the relation the comment belongs to. */
    private Classification comment(TokenCursor c) {
        ClassificationBuilder result = new ClassificationBuilder("COMMENT");
        c.accept("ON");
        String type = ObjectTypeWords.read(c).orElseGet(() -> commentedPart(c));
        Optional<QualifiedName> name = c.name();
        Optional<QualifiedName> relation = switch (type) {
            case "TABLE", "INDEX", "VIEW", "MATERIALIZED VIEW", "SEQUENCE", "FOREIGN TABLE" -> name;
            case "COLUMN" -> name.map(QualifiedName::parent);
            case "CONSTRAINT", "TRIGGER", "RULE", "POLICY" ->
                    c.accept("ON") && !c.at("DOMAIN") ? c.name() : Optional.empty();
            default -> Optional.empty();
        };
        relation.ifPresent(r -> result.lock(r, LockMode.SHARE_UPDATE_EXCLUSIVE));
        return result.build();
    }

    private static String commentedPart(TokenCursor c) {
        if (c.accept("COLUMN")) {
            return "COLUMN";
        }
        return c.accept("CONSTRAINT") ? "CONSTRAINT" : "";
    }

    private Classification transaction(String word, TokenCursor c) {
        if ((word.equals("COMMIT") || word.equals("ROLLBACK")) && c.at("PREPARED")) {
            // Two-phase commit finishes another, prepared transaction and refuses to run in one.
            return new ClassificationBuilder(word + " PREPARED").nonTransactional().build();
        }
        if (word.equals("PREPARE") && !c.at("TRANSACTION")) {
            return new ClassificationBuilder("PREPARE").build();
        }
        String command = switch (word) {
            case "START" -> "START TRANSACTION";
            case "END" -> "COMMIT";
            case "ABORT" -> "ROLLBACK";
            case "PREPARE" -> "PREPARE TRANSACTION";
            default -> word;
        };
        return new ClassificationBuilder(command).transactionControl().build();
    }

    private Classification discard(TokenCursor c) {
        ClassificationBuilder result = new ClassificationBuilder("DISCARD");
        if (c.at("ALL")) {
            result.nonTransactional();
        }
        return result.build();
    }

    /** EXPLAIN locks what the explained statement locks; with ANALYZE it also runs it. */
    private Classification explain(TokenCursor c) {
        if (c.atSymbol("(")) {
            c.skipParens();
        }
        while (c.accept("ANALYZE") || c.accept("ANALYSE") || c.accept("VERBOSE")) {
            // options of the old syntax
        }
        Classification explained = classify(c.tokens().subList(c.position(), c.tokens().size()));
        return new ClassificationBuilder("EXPLAIN").include(explained).build();
    }

    private Classification declare(TokenCursor c) {
        int query = c.position();
        while (!c.atEnd() && !c.accept("FOR")) {
            c.next();
        }
        ClassificationBuilder result = new ClassificationBuilder("DECLARE CURSOR");
        if (query < c.position() && !c.atEnd()) {
            result.include(classify(c.tokens().subList(c.position(), c.tokens().size())));
        }
        return result.build();
    }
}
