package dev.reverso.lint.rules;

import dev.reverso.lint.SchemaState;
import dev.reverso.lint.TableDdl;
import dev.reverso.sql.Token;
import dev.reverso.sql.TokenType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a data change is limited to one batch, for #25. A batch is what a loop of statements
 * can walk through: a range or a list on a key ({@code id}, {@code ctid}, a primary key or the
 * leading column of a unique index), or a LIMIT. A WHERE on anything else ({@code created_at <
 * '2020-01-01'}, {@code locale IS NULL}) is a filter, not a batch: it still takes every matching
 * row in one statement. An equality with constants ({@code name = 'admin'}, {@code code IN ('a',
 * 'b')}) counts too: it picks named rows, the way a seed or a data fix does, where a backfill
 * picks every row of a kind.
 */
final class BatchBound {

    /** Where a WHERE clause ends, at depth 0 (and at ON CONFLICT). */
    private static final Set<String> CLAUSE_END = Set.of("GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT", "OFFSET", "FETCH",
            "FOR", "UNION", "INTERSECT", "EXCEPT", "RETURNING");

    /** Words that may appear in a constant expression (literals, casts, date arithmetic). */
    private static final Set<String> CONSTANT_WORDS = Set.of("TRUE", "FALSE", "NULL", "INTERVAL", "ARRAY", "ANY", "SOME", "AND",
            "CURRENT_DATE", "CURRENT_TIMESTAMP", "LOCALTIMESTAMP", "DATE", "TIMESTAMP", "TIME", "WITH", "WITHOUT", "ZONE");

    private static final Set<String> RANGE_OPERATORS = Set.of("<", "<=", ">", ">=");

    private BatchBound() {
    }

    /** The columns that identify rows of these tables: id, ctid, and what the schema knows of their keys. */
    static Set<String> keys(SchemaState schema, List<String> tables) {
        Set<String> keys = new LinkedHashSet<>(List.of("id", "ctid"));
        for (String table : tables) {
            schema.constraints(table).stream()
                    .filter(c -> (c.kind().equals("PRIMARY KEY") || c.kind().equals("UNIQUE")) && !c.columns().isEmpty())
                    .forEach(c -> keys.add(c.columns().get(0)));
            schema.indexesOn(table).stream().filter(i -> i.unique() && !i.partial() && !i.columns().isEmpty())
                    .forEach(i -> keys.add(i.columns().get(0)));
        }
        return keys;
    }

    /** Whether a LIMIT or FETCH appears anywhere, a subquery's included ({@code WHERE id IN (SELECT ... LIMIT 1000)}). */
    static boolean limited(List<Token> tokens) {
        return tokens.stream().anyMatch(t -> t.isWord("LIMIT") || t.isWord("FETCH"));
    }

    /** The index of the first WHERE at depth 0 from {@code from}, or -1. */
    static int where(List<Token> tokens, int from) {
        return TableDdl.indexOfWord(tokens, from, "WHERE");
    }

    /** Where the clause that starts at {@code start} (a WHERE, or a FROM) ends (exclusive). */
    static int end(List<Token> tokens, int start) {
        int depth = 0;
        for (int i = start + 1; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(") || t.isSymbol("[")) {
                depth++;
            } else if (t.isSymbol(")") || t.isSymbol("]")) {
                depth--;
            } else if (depth == 0 && t.type() == TokenType.WORD && (CLAUSE_END.contains(t.upper())
                    || TableDdl.at(tokens, i, "ON", "CONFLICT"))) {
                return i;
            }
        }
        return tokens.size();
    }

    /** Whether the condition limits the statement to a batch of {@code keys}, or to named rows. */
    static boolean bounds(List<Token> condition, Set<String> keys) {
        List<Token> c = unwrap(condition);
        List<List<Token>> any = split(c, "OR");
        if (any.size() > 1) {
            return any.stream().allMatch(d -> bounds(d, keys));
        }
        List<List<Token>> all = split(c, "AND");
        if (all.size() > 1) {
            return all.stream().anyMatch(d -> bounds(d, keys));
        }
        return comparison(c, keys);
    }

    /** Whether the condition has an OR outside parentheses (so appending an AND needs them). */
    static boolean hasTopLevelOr(List<Token> condition) {
        return split(condition, "OR").size() > 1;
    }

    private static List<Token> unwrap(List<Token> c) {
        while (c.size() >= 2 && c.get(0).isSymbol("(") && TableDdl.closing(c, 0) == c.size() - 1) {
            c = c.subList(1, c.size() - 1);
        }
        return c;
    }

    /** Splits at depth 0 on AND or OR; the AND of {@code BETWEEN a AND b} does not split. */
    private static List<List<Token>> split(List<Token> c, String word) {
        List<List<Token>> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        boolean between = false;
        for (int i = 0; i < c.size(); i++) {
            Token t = c.get(i);
            if (t.isSymbol("(") || t.isSymbol("[")) {
                depth++;
            } else if (t.isSymbol(")") || t.isSymbol("]")) {
                depth--;
            } else if (depth == 0 && t.isWord("BETWEEN")) {
                between = true;
            } else if (depth == 0 && t.isWord("AND") && between) {
                between = false;
            } else if (depth == 0 && t.isWord(word)) {
                parts.add(c.subList(start, i));
                start = i + 1;
            }
        }
        parts.add(c.subList(start, c.size()));
        return parts;
    }

    /** One comparison: a key against constants (range, list or equality), or any column equal to constants. */
    private static boolean comparison(List<Token> c, Set<String> keys) {
        int op = operator(c);
        if (op <= 0 || op == c.size() - 1) {
            return false;
        }
        Token o = c.get(op);
        boolean negated = c.get(op - 1).isWord("NOT");
        if (negated) {
            return false;
        }
        List<Token> left = c.subList(0, op);
        List<Token> right = c.subList(op + 1, c.size());
        boolean range = RANGE_OPERATORS.contains(o.text()) || o.isWord("BETWEEN");
        String column = column(left);
        List<Token> other = right;
        if (column == null && RANGE_OPERATORS.contains(o.text()) || column == null && o.text().equals("=")) {
            column = column(right);
            other = left;
        }
        if (column == null || !constant(other)) {
            return false;
        }
        return keys.contains(column) || !range;
    }

    /** The first comparison at depth 0: =, <, <=, >, >=, BETWEEN or IN; -1 if none. */
    private static int operator(List<Token> c) {
        int depth = 0;
        for (int i = 0; i < c.size(); i++) {
            Token t = c.get(i);
            if (t.isSymbol("(") || t.isSymbol("[")) {
                depth++;
            } else if (t.isSymbol(")") || t.isSymbol("]")) {
                depth--;
            } else if (depth == 0 && (t.type() == TokenType.OPERATOR && (t.text().equals("=") || RANGE_OPERATORS.contains(t.text()))
                    || t.isWord("BETWEEN") || t.isWord("IN"))) {
                return i;
            }
        }
        return -1;
    }

    /** The column a {@code [qualifier.]name} names, or null when the tokens are something else. */
    private static String column(List<Token> tokens) {
        if (tokens.isEmpty() || tokens.size() % 2 == 0) {
            return null;
        }
        for (int i = 0; i < tokens.size(); i++) {
            boolean ok = i % 2 == 0 ? TableDdl.isIdent(tokens.get(i)) : tokens.get(i).isSymbol(".");
            if (!ok) {
                return null;
            }
        }
        return TableDdl.ident(tokens.get(tokens.size() - 1));
    }

    /**
     * Whether an expression names no column: literals, parameters ({@code $1}, {@code :lo}),
     * casts, function calls on those, lists and arrays of them. A column reference makes it a
     * join, and a subquery makes it as large as the subquery's table.
     */
    private static boolean constant(List<Token> tokens) {
        if (tokens.isEmpty()) {
            return false;
        }
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (!TableDdl.isIdent(t)) {
                continue;
            }
            boolean call = i + 1 < tokens.size() && tokens.get(i + 1).isSymbol("(");
            boolean parameterOrType = i > 0 && (tokens.get(i - 1).isSymbol(":") || tokens.get(i - 1).isSymbol("::"));
            boolean word = t.type() == TokenType.WORD && CONSTANT_WORDS.contains(t.upper());
            if (t.isWord("SELECT") || !(call || parameterOrType || word)) {
                return false;
            }
        }
        return true;
    }
}
