package dev.reverso.archive;

import dev.reverso.sql.Identifiers;
import dev.reverso.sql.Statement;
import dev.reverso.sql.Token;
import dev.reverso.sql.TokenType;

import java.util.ArrayList;
import java.util.List;

/** A statement's significant tokens with the small reading steps the archive's parsers share. */
final class TokenList {

    /** A table name read at some position, and the position just after it. */
    record Name(TableName table, int end) { }

    private final Statement statement;
    final List<Token> t;

    TokenList(Statement statement) {
        this.statement = statement;
        this.t = statement.tokens();
    }

    int size() {
        return t.size();
    }

    Token get(int i) {
        return t.get(i);
    }

    String identifierAt(int i) {
        return Identifiers.stored(t.get(i));
    }

    /** {@code [ONLY] name [*]} from {@code i}: the table a DML or ALTER TABLE works on, ending after the {@code *}. */
    Name target(int i) {
        int from = skipWords(i, "ONLY");
        Name n = name(from);
        if (n == null) {
            return null;
        }
        return symbol(n.end(), "*") ? new Name(n.table(), n.end() + 1) : n;
    }

    Name name(int i) {
        if (!identifier(i)) {
            return null;
        }
        if (symbol(i + 1, ".") && identifier(i + 2)) {
            if (symbol(i + 3, ".") && identifier(i + 4)) {
                return new Name(new TableName(Identifiers.stored(t.get(i + 2)), Identifiers.stored(t.get(i + 4))), i + 5);
            }
            return new Name(new TableName(Identifiers.stored(t.get(i)), Identifiers.stored(t.get(i + 2))), i + 3);
        }
        return new Name(new TableName(null, Identifiers.stored(t.get(i))), i + 1);
    }

    /** The comma-separated names from {@code i}, each possibly preceded by ONLY or followed by {@code *}. */
    List<Name> names(int i) {
        List<Name> names = new ArrayList<>();
        while (i < t.size()) {
            i = skipWords(i, "ONLY");
            Name n = name(i);
            if (n == null || isKeywordAfterList(i)) {
                break;
            }
            names.add(n);
            i = n.end;
            if (symbol(i, "*")) {
                i++;
            }
            if (!symbol(i, ",")) {
                break;
            }
            i++;
        }
        return names;
    }

    boolean isKeywordAfterList(int i) {
        return is(i, "CASCADE") || is(i, "RESTRICT") || is(i, "RESTART") || is(i, "CONTINUE");
    }

    List<int[]> commaSeparated(int from, int to) {
        List<int[]> ranges = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            Token k = t.get(i);
            if (k.isSymbol("(") || k.isSymbol("[")) {
                depth++;
            } else if (k.isSymbol(")") || k.isSymbol("]")) {
                depth--;
            } else if (depth == 0 && k.isSymbol(",")) {
                ranges.add(new int[] {start, i});
                start = i + 1;
            }
        }
        if (start < to) {
            ranges.add(new int[] {start, to});
        }
        return ranges;
    }

    /** The index of {@code word} at parenthesis depth 0 from {@code from}, or -1. */
    int topLevelWord(int from, String word) {
        int depth = 0;
        for (int i = from; i < t.size(); i++) {
            Token k = t.get(i);
            if (k.isSymbol("(") || k.isSymbol("[")) {
                depth++;
            } else if (k.isSymbol(")") || k.isSymbol("]")) {
                depth--;
            } else if (depth == 0 && k.isWord(word)) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the parenthesis that closes the one at {@code open}, or -1. */
    int closing(int open) {
        int depth = 0;
        for (int i = open; i < t.size(); i++) {
            Token k = t.get(i);
            if (k.isSymbol("(") || k.isSymbol("[")) {
                depth++;
            } else if ((k.isSymbol(")") || k.isSymbol("]")) && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Whether a token from {@code from} up to {@code to} is one of these words. */
    boolean containsWord(int from, int to, String... words) {
        for (int i = from; i < to; i++) {
            for (String w : words) {
                if (t.get(i).isWord(w)) {
                    return true;
                }
            }
        }
        return false;
    }

    int indexOfWord(int from, int to, String word) {
        for (int i = from; i < to; i++) {
            if (t.get(i).isWord(word)) {
                return i;
            }
        }
        return -1;
    }

    /** The statement's own text from token {@code from} up to (not including) token {@code to}. */
    String text(int from, int to) {
        if (from >= to) {
            return "";
        }
        int base = t.get(0).offset();
        return statement.sql().substring(t.get(from).offset() - base, t.get(to - 1).end() - base).strip();
    }

    /** For a DO statement: whether its body changes data (see {@link DoBody}). */
    boolean bodyChangesData() {
        return DoBody.changesData(t);
    }

    boolean containsWord(String... words) {
        for (Token k : t) {
            for (String w : words) {
                if (k.isWord(w)) {
                    return true;
                }
            }
        }
        return false;
    }

    int skipWords(int i, String... words) {
        int j = i;
        for (String w : words) {
            if (!is(j, w)) {
                return i;
            }
            j++;
        }
        return j;
    }

    boolean is(int i, String word) {
        return i >= 0 && i < t.size() && t.get(i).isWord(word);
    }

    boolean symbol(int i, String symbol) {
        return i < t.size() && t.get(i).isSymbol(symbol);
    }

    boolean identifier(int i) {
        return i < t.size() && (t.get(i).type() == TokenType.WORD || t.get(i).type() == TokenType.QUOTED_IDENT);
    }
}
