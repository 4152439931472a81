package dev.reverso.archive;

import dev.reverso.sql.Identifiers;
import dev.reverso.sql.Lexer;
import dev.reverso.sql.SqlSyntaxException;
import dev.reverso.sql.Statement;
import dev.reverso.sql.Token;
import dev.reverso.sql.TokenType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the body of a DO block for the statements in it that change data the application had
 * (overwrite or remove rows, or drop what holds them). A body that only runs
 * DDL (drops an index, adds a constraint with {@code ON DELETE CASCADE}, creates a trigger for
 * {@code UPDATE OR DELETE}) changes none; the words of DML inside DDL do not count, only the
 * statements they begin. A statement it cannot read (dynamic SQL built at run time, another
 * language's body, a body that does not lex) is taken to change data.
 */
final class DoBody {

    /** Words after which a PL/pgSQL body starts a new statement (besides {@code ;}). */
    private static final Set<String> STARTERS = Set.of("BEGIN", "THEN", "ELSE", "LOOP", "DECLARE", "EXCEPTION");
    /**
     * Statements that overwrite or remove rows. An INSERT (or a COPY into a table) adds rows and
     * destroys none, so a rollback loses nothing of the application's by it: it counts only with
     * {@code ON CONFLICT ... DO UPDATE}, which overwrites.
     */
    private static final Set<String> WRITES = Set.of("UPDATE", "DELETE", "TRUNCATE", "MERGE");
    /** EXECUTE strings inside EXECUTE strings: past this depth, assume the worst. */
    private static final int MAX_DEPTH = 4;

    private DoBody() {
    }

    /** Whether the DO statement whose significant tokens these are changes data. */
    static boolean changesData(List<Token> statement) {
        String language = "plpgsql";
        Token code = null;
        for (int i = 1; i < statement.size(); i++) {
            Token k = statement.get(i);
            if (k.isWord("LANGUAGE") && i + 1 < statement.size()) {
                Token lang = statement.get(i + 1);
                language = lang.type() == TokenType.STRING ? lang.text().replace("'", "") : lang.type() == TokenType.WORD
                        || lang.type() == TokenType.QUOTED_IDENT ? Identifiers.name(lang) : lang.text();
                i++;
            } else if (code == null && (k.type() == TokenType.DOLLAR_STRING || k.type() == TokenType.STRING)) {
                code = k;
            }
        }
        if (code == null) {
            return false;
        }
        if (!language.toLowerCase(Locale.ROOT).equals("plpgsql")) {
            // Another language's body is not SQL: any data-changing word in it counts.
            String body = code.text().toUpperCase(Locale.ROOT);
            return body.contains("DELETE") || body.contains("UPDATE") || body.contains("TRUNCATE") || body.contains("DROP ")
                    || body.contains("MERGE");
        }
        String body = contents(code);
        return body == null || changesData(body, 0);
    }

    /** The text of a string or dollar-quoted constant, or null when it has escapes this does not decode. */
    private static String contents(Token constant) {
        String text = constant.text();
        if (constant.type() == TokenType.DOLLAR_STRING) {
            int tag = text.indexOf('$', 1) + 1;
            return text.substring(tag, text.length() - tag);
        }
        if (text.startsWith("'")) {
            return text.substring(1, text.length() - 1).replace("''", "'");
        }
        return null;
    }

    private static boolean changesData(String body, int depth) {
        if (depth > MAX_DEPTH) {
            return true;
        }
        List<Token> tokens = new ArrayList<>();
        try {
            Lexer.scanSignificant(body, tokens::add);
        } catch (SqlSyntaxException e) {
            return true;
        }
        int start = 0;
        int parens = 0;
        for (int i = 0; i <= tokens.size(); i++) {
            boolean end = i == tokens.size();
            Token k = end ? null : tokens.get(i);
            if (!end && (k.isSymbol("(") || k.isSymbol("["))) {
                parens++;
            } else if (!end && (k.isSymbol(")") || k.isSymbol("]"))) {
                parens--;
            }
            boolean starter = !end && parens == 0 && k.type() == TokenType.WORD && STARTERS.contains(k.upper());
            if (end || parens == 0 && (k.isSymbol(";") || k.isSymbol(">>")) || starter) {
                if (i > start && statementChangesData(body, tokens.subList(start, i), depth)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    /** One PL/pgSQL statement, read by the word that begins it. */
    private static boolean statementChangesData(String body, List<Token> s, int depth) {
        Token first = s.get(0);
        if (first.type() != TokenType.WORD) {
            return false;
        }
        String verb = first.upper();
        if (WRITES.contains(verb)) {
            return true;
        }
        if (verb.equals("INSERT")) {
            for (int i = 1; i + 1 < s.size(); i++) {
                if (s.get(i).isWord("DO") && s.get(i + 1).isWord("UPDATE")) {
                    return true;
                }
            }
            return false;
        }
        if (verb.equals("EXECUTE")) {
            // Only a constant can be read; SQL put together at run time could do anything.
            boolean constant = s.size() >= 2 && (s.get(1).type() == TokenType.STRING || s.get(1).type() == TokenType.DOLLAR_STRING)
                    && (s.size() == 2 || s.get(2).isWord("USING") || s.get(2).isWord("INTO"));
            String sql = constant ? contents(s.get(1)) : null;
            return sql == null || changesData(sql, depth + 1);
        }
        if (verb.equals("DROP")) {
            return s.size() > 1 && (s.get(1).isWord("TABLE") || s.get(1).isWord("SCHEMA") || s.get(1).isWord("OWNED"))
                    || s.get(s.size() - 1).isWord("CASCADE");
        }
        if (verb.equals("ALTER") && s.size() > 1 && s.get(1).isWord("TYPE")) {
            return s.stream().anyMatch(k -> k.isWord("ATTRIBUTE"));
        }
        if (verb.equals("ALTER") || verb.equals("WITH") || verb.equals("DO")) {
            int from = s.get(0).offset();
            Statement statement = new Statement(body.substring(from, s.get(s.size() - 1).end()), first.line(), first.column(),
                    0, s);
            return !Destructions.of(statement).isEmpty();
        }
        return false;
    }
}
