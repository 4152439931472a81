package dev.reverso.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

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
        List<Statement> statements = new ArrayList<>();
        split(script, statements::add);
        return List.copyOf(statements);
    }

    /**
     * Splits a script, handing each statement to {@code sink} as soon as it is read, in order (so
     * that a caller can work on the first statements of a large script while the rest is read).
     *
     * @throws SqlSyntaxException as {@link #split(String)}, after the statements before the
     *                            error were handed over
     */
    public static void split(String script, Consumer<Statement> sink) {
        Splitting splitting = new Splitting(script, sink);
        // Only significant tokens: a statement keeps no whitespace or comments, so they need no Token.
        Lexer.scanSignificant(script, splitting);
        splitting.addStatement();
    }

    /** The split in progress: how many statements so far and the tokens of the one being read. */
    private static final class Splitting implements Consumer<Token> {
        private final String script;
        private final Consumer<Statement> sink;
        private int count;
        private List<Token> current = new ArrayList<>();
        private Nesting nesting = new Nesting();

        Splitting(String script, Consumer<Statement> sink) {
            // Not a char array of the script: the lexer has one, and a second copy of a large script costs.
            this.script = script;
            this.sink = sink;
        }

        @Override
        public void accept(Token token) {
            if (token.isSymbol(";") && nesting.atTopLevel()) {
                addStatement();
                current.clear(); // the statement copied its tokens
                nesting = new Nesting();
            } else {
                nesting.track(token, current);
                current.add(token);
            }
        }

        void addStatement() {
            if (current.isEmpty()) {
                return;
            }
            Token first = current.get(0);
            Token last = current.get(current.size() - 1);
            String sql = script.substring(first.offset(), last.end());
            sink.accept(new Statement(sql, first.line(), first.column(), count++, current));
        }
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
