package dev.reverso.ops;

import dev.reverso.sql.Identifiers;
import dev.reverso.sql.Lexer;
import dev.reverso.sql.Token;
import dev.reverso.sql.TokenType;

import java.util.Map;

/**
 * Renames column references in an SQL expression or definition: a CHECK written against a
 * column's name must point at the temporary column that stands in for it while a change is in
 * progress. Works on tokens, so names inside strings and comments are left alone.
 */
final class ColumnRewrite {

    private ColumnRewrite() {
    }

    /** The expression with every identifier that names a key of {@code names} replaced by its value, quoted. */
    static String apply(String sql, Map<String, String> names) {
        if (names.isEmpty()) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql.length() + 16);
        int at = 0;
        for (Token t : Lexer.tokenize(sql)) {
            if (t.type() != TokenType.WORD && t.type() != TokenType.QUOTED_IDENT) {
                continue;
            }
            String to = names.get(Identifiers.name(t));
            if (to != null && !qualifierOrCall(sql, t.end())) {
                out.append(sql, at, t.offset()).append(Identifiers.quote(to));
                at = t.end();
            }
        }
        return out.append(sql.substring(at)).toString();
    }

    /** Every identifier an expression names (as the server folds it), whatever it names. */
    static java.util.Set<String> identifiers(String sql) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Token t : Lexer.tokenize(sql)) {
            if (t.type() == TokenType.WORD || t.type() == TokenType.QUOTED_IDENT) {
                out.add(Identifiers.name(t));
            }
        }
        return out;
    }

    /** In {@code t.col} the {@code t} is a table, in {@code lower(x)} the {@code lower} a function: neither is a column. */
    private static boolean qualifierOrCall(String sql, int end) {
        int i = end;
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        return i < sql.length() && (sql.charAt(i) == '.' || sql.charAt(i) == '(');
    }
}
