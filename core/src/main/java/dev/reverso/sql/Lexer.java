package dev.reverso.sql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits a SQL script into tokens the way PostgreSQL's scanner does, for everything that
 * decides where a token starts and ends: dollar quotes with tags, nested block comments,
 * quoted identifiers, standard and escape strings (with string continuation across lines),
 * parameters, numbers and operators.
 *
 * <p>It assumes {@code standard_conforming_strings = on} (the default since PostgreSQL 9.1):
 * backslash escapes only in {@code E'...'} strings. It never fails on characters it does not
 * know; they become single-character {@link TokenType#OPERATOR} tokens, and the server reports
 * them. It fails only on a construct that is never closed.
 */
public final class Lexer {

    private static final String OPERATOR_CHARS = "~!@#^&|`?+-*/%<>=";
    /** Operator characters that allow an operator to end in {@code +} or {@code -}. */
    private static final String NON_MATH_OPERATOR_CHARS = "~!@#^&|`?%";

    private final String sql;
    /** The script's characters, read by index in the scanning loops rather than through {@code String.charAt}. */
    private final char[] chars;
    private final int[] lineStarts;
    /**
     * The texts of short tokens made so far, by hash of their characters (a direct-mapped cache):
     * a script repeats its keywords, punctuation and names thousands of times, and one String per
     * repeated text keeps a large script's tokens in much less memory. Seeded with the keywords
     * and symbols the classifier and the rules compare with, as the literals they are, so that
     * most comparisons find the very same String.
     */
    private final String[] texts;
    private int pos;
    /** 0-based index into lineStarts of the line the last emitted token starts on: tokens come in order. */
    private int lineIndex;

    private Lexer(String sql) {
        this.sql = sql;
        this.chars = sql.toCharArray();
        this.lineStarts = lineStarts(chars);
        // Small for the short texts lexed one by one (an index definition, an expression).
        this.texts = new String[sql.length() < 4096 ? 1 << 8 : 1 << 12];
        for (String seed : SEEDS) {
            texts[slot(seed.hashCode())] = seed;
        }
    }

    /** Keywords and symbols most statements hold; see {@link #texts}. */
    private static final List<String> SEEDS = List.of("(", ")", ",", ".", ";", "=", "::", "[", "]", "*",
            "CREATE", "TABLE", "INDEX", "UNIQUE", "CONCURRENTLY", "ON", "IF", "NOT", "EXISTS", "ALTER", "ADD", "DROP",
            "COLUMN", "CONSTRAINT", "PRIMARY", "KEY", "FOREIGN", "REFERENCES", "CHECK", "NULL", "DEFAULT", "SET", "TYPE",
            "RENAME", "TO", "USING", "VALIDATE", "VALID", "INSERT", "INTO", "SELECT", "FROM", "WHERE", "UPDATE", "DELETE",
            "VALUES", "AND", "OR", "AS", "IS", "IN", "BEGIN", "COMMIT", "GENERATED", "ALWAYS", "IDENTITY", "BY",
            "bigint", "integer", "int", "text", "boolean", "timestamptz", "now", "true", "false");

    private int slot(int hash) {
        return (hash ^ (hash >>> 12)) & (texts.length - 1);
    }

    /** The text from {@code start} to {@code end}, the cached String when the same text was made before. */
    private String text(int start, int end) {
        int length = end - start;
        if (length > 32) {
            return new String(chars, start, length);
        }
        int hash = 0;
        for (int i = start; i < end; i++) {
            hash = 31 * hash + chars[i];
        }
        int slot = slot(hash);
        String known = texts[slot];
        if (known != null && known.length() == length) {
            int i = 0;
            while (i < length && known.charAt(i) == chars[start + i]) {
                i++;
            }
            if (i == length) {
                return known;
            }
        }
        String made = new String(chars, start, length);
        texts[slot] = made;
        return made;
    }

    /**
     * Tokenizes a whole script. Every character of the script belongs to exactly one token,
     * so the texts of the tokens, concatenated, give back the script.
     *
     * @throws SqlSyntaxException if a string, quoted identifier, dollar quote or block comment
     *                            is not closed; the message names where it starts
     */
    public static List<Token> tokenize(String sql) {
        List<Token> tokens = new ArrayList<>();
        new Lexer(sql).run(false, tokens::add);
        // Not List.copyOf: on a large script that copy is a second array of millions of references.
        return Collections.unmodifiableList(tokens);
    }

    /**
     * Hands the script's significant tokens (no whitespace, no comments) to {@code sink} in order,
     * without building a list of all tokens: whitespace and comments are scanned past but never
     * become {@link Token}s, which is most of the lexing cost of a large script.
     *
     * @throws SqlSyntaxException as {@link #tokenize}
     */
    public static void scanSignificant(String sql, Consumer<Token> sink) {
        new Lexer(sql).run(true, sink);
    }

    private void run(boolean significantOnly, Consumer<Token> sink) {
        while (pos < chars.length) {
            int start = pos;
            TokenType type = scanOne();
            if (!significantOnly || type.isSignificant()) {
                sink.accept(token(type, start));
            }
        }
    }

    private TokenType scanOne() {
        char c = chars[pos];
        if (isSpace(c)) {
            return whitespace();
        }
        if (startsWith("--")) {
            return lineComment();
        }
        if (startsWith("/*")) {
            return blockComment();
        }
        if (c == '\'') {
            return string(pos, false);
        }
        if (c == '"') {
            return quotedIdentifier(pos);
        }
        if (c == '$') {
            return dollar();
        }
        if (isIdentStart(c)) {
            return wordOrPrefixedLiteral(c);
        }
        if (isDigit(c) || (c == '.' && pos + 1 < chars.length && isDigit(chars[pos + 1]))) {
            return number();
        }
        if (c == ':') {
            return colon();
        }
        if (startsWith("..")) {
            pos += 2;
            return TokenType.PUNCT;
        }
        if ("(),;.[]".indexOf(c) >= 0) {
            pos++;
            return TokenType.PUNCT;
        }
        if (OPERATOR_CHARS.indexOf(c) >= 0) {
            return operator();
        }
        pos++;
        return TokenType.OPERATOR;
    }

    private TokenType whitespace() {
        while (pos < chars.length && isSpace(chars[pos])) {
            pos++;
        }
        return TokenType.WHITESPACE;
    }

    private TokenType lineComment() {
        pos = endOfLine(pos);
        return TokenType.LINE_COMMENT;
    }

    private TokenType blockComment() {
        int start = pos;
        int depth = 0;
        while (pos < chars.length) {
            if (startsWith("/*")) {
                depth++;
                pos += 2;
            } else if (startsWith("*/")) {
                depth--;
                pos += 2;
                if (depth == 0) {
                    return TokenType.BLOCK_COMMENT;
                }
            } else {
                pos++;
            }
        }
        throw unterminated("unterminated block comment", start);
    }

    /**
     * A quoted string starting at {@code quote}. Adjacent constants separated by whitespace
     * that contains a line break are one constant in PostgreSQL, and an escape string keeps
     * its backslash escapes in the continued parts, so the continuation belongs to this token.
     */
    private TokenType string(int tokenStart, boolean backslashEscapes) {
        int quote = pos;
        pos++;
        while (true) {
            if (pos >= chars.length) {
                throw unterminated("unterminated quoted string", tokenStart);
            }
            char c = chars[pos];
            if (backslashEscapes && c == '\\') {
                pos += 2;
            } else if (c == '\'' && pos + 1 < chars.length && chars[pos + 1] == '\'') {
                pos += 2;
            } else if (c == '\'') {
                pos++;
                int next = continuedQuote(pos);
                if (next < 0) {
                    return TokenType.STRING;
                }
                pos = next + 1;
            } else {
                pos++;
            }
        }
    }

    /** The index of the quote that continues a string constant ending at {@code from}, or -1. */
    private int continuedQuote(int from) {
        int i = skipHorizontalWhitespace(from);
        if (i >= chars.length || !isNewline(chars[i])) {
            return -1;
        }
        i++;
        while (i < chars.length) {
            if (isSpace(chars[i])) {
                i++;
            } else if (startsWith("--", i)) {
                i = endOfLine(i);
                if (i >= chars.length) {
                    return -1;
                }
                i++;
            } else {
                break;
            }
        }
        return i < chars.length && chars[i] == '\'' ? i : -1;
    }

    private int skipHorizontalWhitespace(int from) {
        int i = from;
        while (i < chars.length) {
            char c = chars[i];
            if (c == ' ' || c == '\t' || c == '\f' || c == '\u000B') {
                i++;
            } else if (startsWith("--", i)) {
                i = endOfLine(i);
            } else {
                break;
            }
        }
        return i;
    }

    private TokenType quotedIdentifier(int tokenStart) {
        pos++;
        while (true) {
            int close = sql.indexOf('"', pos);
            if (close < 0) {
                throw unterminated("unterminated quoted identifier", tokenStart);
            }
            if (close + 1 < chars.length && chars[close + 1] == '"') {
                pos = close + 2;
            } else {
                pos = close + 1;
                return TokenType.QUOTED_IDENT;
            }
        }
    }

    private TokenType dollar() {
        int start = pos;
        int i = pos + 1;
        if (i < chars.length && isDigit(chars[i])) {
            while (i < chars.length && isDigit(chars[i])) {
                i++;
            }
            pos = i;
            return TokenType.PARAM;
        }
        if (i < chars.length && chars[i] != '$' && !isIdentStart(chars[i])) {
            pos = i;
            return TokenType.OPERATOR;
        }
        while (i < chars.length && isDollarTagChar(chars[i])) {
            i++;
        }
        if (i >= chars.length || chars[i] != '$') {
            // "$abc" without a closing "$" is no dollar quote; PostgreSQL rejects the "$".
            pos = start + 1;
            return TokenType.OPERATOR;
        }
        String delimiter = sql.substring(start, i + 1);
        int close = sql.indexOf(delimiter, i + 1);
        if (close < 0) {
            throw unterminated("unterminated dollar-quoted string", start);
        }
        pos = close + delimiter.length();
        return TokenType.DOLLAR_STRING;
    }

    private TokenType wordOrPrefixedLiteral(char c) {
        char lower = Character.toLowerCase(c);
        char next = charAt(pos + 1);
        if (next == '\'' && "ebxn".indexOf(lower) >= 0) {
            int start = pos;
            pos++;
            return string(start, lower == 'e');
        }
        if (lower == 'u' && next == '&' && (charAt(pos + 2) == '\'' || charAt(pos + 2) == '"')) {
            int start = pos;
            pos += 2;
            TokenType type = charAt(pos) == '"' ? quotedIdentifier(start) : string(start, false);
            uescape();
            return type;
        }
        pos++;
        while (pos < chars.length && isIdentContinue(chars[pos])) {
            pos++;
        }
        return TokenType.WORD;
    }

    /**
     * A {@code UESCAPE 'c'} clause after a {@code U&} identifier or string is part of its token:
     * it says how the escapes before it read ({@link Identifiers#name} decodes them with it), and
     * the server reads the three as one name or constant.
     */
    private void uescape() {
        int i = pos;
        while (i < chars.length && isSpace(chars[i])) {
            i++;
        }
        if (i + 7 > chars.length || !sql.regionMatches(true, i, "UESCAPE", 0, 7)
                || i + 7 < chars.length && isIdentContinue(chars[i + 7])) {
            return;
        }
        int j = i + 7;
        while (j < chars.length && isSpace(chars[j])) {
            j++;
        }
        if (j + 2 < chars.length && chars[j] == '\'' && chars[j + 1] != '\'' && chars[j + 2] == '\'') {
            pos = j + 3;
        }
    }

    private TokenType number() {
        if (chars[pos] == '0' && "xXoObB".indexOf(charAt(pos + 1)) >= 0 && isAlnum(charAt(pos + 2))) {
            pos += 2;
            while (isAlnum(charAt(pos)) || charAt(pos) == '_') {
                pos++;
            }
            return TokenType.NUMBER;
        }
        digits();
        // "1..10" is an integer followed by "..", as in PostgreSQL.
        if (charAt(pos) == '.' && charAt(pos + 1) != '.') {
            pos++;
            digits();
        }
        char e = charAt(pos);
        if (e == 'e' || e == 'E') {
            int exponent = pos + 1;
            if (charAt(exponent) == '+' || charAt(exponent) == '-') {
                exponent++;
            }
            if (isDigit(charAt(exponent))) {
                pos = exponent;
                digits();
            }
        }
        return TokenType.NUMBER;
    }

    private void digits() {
        while (isDigit(charAt(pos)) || (charAt(pos) == '_' && isDigit(charAt(pos + 1)))) {
            pos++;
        }
    }

    private TokenType colon() {
        char next = charAt(pos + 1);
        if (next == ':') {
            pos += 2;
            return TokenType.PUNCT;
        }
        if (next == '=') {
            pos += 2;
            return TokenType.OPERATOR;
        }
        pos++;
        return TokenType.PUNCT;
    }

    /** PostgreSQL's operator rule: longest run, cut before a comment, no trailing +/- unless needed. */
    private TokenType operator() {
        int end = pos;
        while (end < chars.length && OPERATOR_CHARS.indexOf(chars[end]) >= 0) {
            if (end > pos && (startsWith("--", end) || startsWith("/*", end))) {
                break;
            }
            end++;
        }
        int length = end - pos;
        if (length > 1 && isPlusOrMinus(chars[pos + length - 1]) && !hasNonMathChar(pos, pos + length - 1)) {
            while (length > 1 && isPlusOrMinus(chars[pos + length - 1])) {
                length--;
            }
        }
        pos += length;
        return TokenType.OPERATOR;
    }

    private boolean hasNonMathChar(int from, int to) {
        for (int i = from; i < to; i++) {
            if (NON_MATH_OPERATOR_CHARS.indexOf(chars[i]) >= 0) {
                return true;
            }
        }
        return false;
    }

    private Token token(TokenType type, int start) {
        while (lineIndex + 1 < lineStarts.length && lineStarts[lineIndex + 1] <= start) {
            lineIndex++;
        }
        int column = start - lineStarts[lineIndex] + 1;
        return new Token(type, text(start, pos), start, lineIndex + 1, column);
    }

    private SqlSyntaxException unterminated(String what, int start) {
        int line = lineOf(start);
        return new SqlSyntaxException(what, line, start - lineStarts[line - 1] + 1);
    }

    private int lineOf(int offset) {
        int found = Arrays.binarySearch(lineStarts, offset);
        return found >= 0 ? found + 1 : -found - 1;
    }

    private int endOfLine(int from) {
        int i = from;
        while (i < chars.length && !isNewline(chars[i])) {
            i++;
        }
        return i;
    }

    private boolean startsWith(String prefix) {
        return startsWith(prefix, pos);
    }

    /** Whether the script has {@code prefix} at {@code at}. */
    private boolean startsWith(String prefix, int at) {
        if (at + prefix.length() > chars.length) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (chars[at + k] != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private char charAt(int index) {
        return index < chars.length ? chars[index] : '\0';
    }

    /** Offsets where lines start; a line ends at "\n", "\r\n" or a lone "\r". */
    private static int[] lineStarts(char[] chars) {
        // An int array grown by hand: a List<Integer> boxes every line start of a large script.
        int[] starts = new int[16];
        int count = 1;
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= chars.length || chars[i + 1] != '\n'))) {
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = i + 1;
            }
        }
        return Arrays.copyOf(starts, count);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }

    private static boolean isNewline(char c) {
        return c == '\n' || c == '\r';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlnum(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isPlusOrMinus(char c) {
        return c == '+' || c == '-';
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isIdentContinue(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }

    private static boolean isDollarTagChar(char c) {
        return isIdentStart(c) || isDigit(c);
    }
}
