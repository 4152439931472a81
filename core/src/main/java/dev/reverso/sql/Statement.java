package dev.reverso.sql;

import java.util.List;
import java.util.Objects;

/**
 * One statement of a SQL script, as found by {@link StatementSplitter}.
 *
 * @param sql    the statement exactly as written, from its first significant token to its last
 *               one: leading comments and the terminating {@code ;} are not part of it, inner
 *               comments are. Trailing comments are left out too, so that a runner can append to
 *               the text without a {@code --} comment swallowing what it appends.
 * @param line   1-based line of its first token in the script
 * @param column 1-based column of its first token in the script
 * @param index  0-based position among the script's (non-empty) statements
 * @param tokens its significant tokens (no whitespace, no comments, no terminating {@code ;})
 */
public record Statement(String sql, int line, int column, int index, List<Token> tokens) {

    public Statement {
        Objects.requireNonNull(sql, "sql");
        tokens = TokenList.of(tokens);
    }
}
