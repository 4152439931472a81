package dev.reverso.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a SQL script into statements the way psql does: on a {@code ;} outside strings,
 * comments, quoted identifiers, dollar quotes and parentheses, and outside the
 * {@code BEGIN ATOMIC ... END} body of a SQL-standard {@code CREATE FUNCTION} or
 * {@code CREATE PROCEDURE}.
 */
public final class StatementSplitter {

    private StatementSplitter() {
    }

    /**
     * Splits a script. Empty statements and text made only of comments are skipped; a last
     * statement without a terminating {@code ;} counts.
     *
     * @throws SqlSyntaxException if a string, quoted identifier, dollar quote or block comment
     *                            is not closed
     */
    public static List<Statement> split(String script) {
        Splitting splitting = new Splitting(script);
        // Only significant tokens: a statement keeps no whitespace or comments, so they need no Token.
        Lexer.scanSignificant(script, splitting);
        addStatement(splitting.chars, splitting.current, splitting.statements);
        return List.copyOf(splitting.statements);
    }

    /** The split in progress: the statements so far and the tokens of the one being read. */
    private static final class Splitting implements java.util.function.Consumer<Token> {
        private final char[] chars;
        private final List<Statement> statements = new ArrayList<>();
        private List<Token> current = new ArrayList<>();
        private Nesting nesting = new Nesting();

        Splitting(String script) {
            this.chars = script.toCharArray();
        }

        @Override
        public void accept(Token token) {
            if (token.isSymbol(";") && nesting.atTopLevel()) {
                addStatement(chars, current, statements);
                current = new ArrayList<>();
                nesting = new Nesting();
            } else {
                nesting.track(token, current);
                current.add(token);
            }
        }
    }

    private static void addStatement(char[] script, List<Token> tokens, List<Statement> statements) {
        if (tokens.isEmpty()) {
            return;
        }
        Token first = tokens.get(0);
        Token last = tokens.get(tokens.size() - 1);
        // Copied from chars, not substring: see Lexer.token (a Latin-1 statement of a UTF-16 script stays UTF-16).
        String sql = String.valueOf(script, first.offset(), last.end() - first.offset());
        statements.add(new Statement(sql, first.line(), first.column(), statements.size(), tokens));
    }

    /**
     * How deep the splitter is inside parentheses and SQL-standard function bodies, where a
     * {@code ;} does not end the statement. The body tracking follows psql's heuristic: in a
     * statement starting with CREATE [OR REPLACE] FUNCTION|PROCEDURE, outside parentheses,
     * BEGIN ATOMIC and CASE open a level and END closes one.
     */
    private static final class Nesting {
        private int parens;
        private int blocks;

        boolean atTopLevel() {
            return parens == 0 && blocks == 0;
        }

        void track(Token token, List<Token> before) {
            if (token.isSymbol("(")) {
                parens++;
            } else if (token.isSymbol(")")) {
                parens = Math.max(0, parens - 1);
            } else if (token.type() == TokenType.WORD && parens == 0 && isRoutineDefinition(before)) {
                trackBlock(token, before);
            }
        }

        private void trackBlock(Token token, List<Token> before) {
            if (token.isWord("ATOMIC") && before.get(before.size() - 1).isWord("BEGIN")) {
                blocks++;
            } else if (token.isWord("CASE") && blocks > 0) {
                blocks++;
            } else if (token.isWord("END") && blocks > 0) {
                blocks--;
            }
        }

        private static boolean isRoutineDefinition(List<Token> tokens) {
            if (tokens.size() < 2 || !tokens.get(0).isWord("CREATE")) {
                return false;
            }
            int kind = 1;
            if (tokens.get(1).isWord("OR") && tokens.size() > 3 && tokens.get(2).isWord("REPLACE")) {
                kind = 3;
            }
            return tokens.size() > kind
                    && (tokens.get(kind).isWord("FUNCTION") || tokens.get(kind).isWord("PROCEDURE"));
        }
    }
}
