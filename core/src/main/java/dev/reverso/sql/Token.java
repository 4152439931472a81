package dev.reverso.sql;

import java.util.Locale;
import java.util.Objects;

/**
 * One lexical token of a SQL script.
 *
 * @param type   what kind of token it is
 * @param text   the token exactly as written in the script
 * @param offset the index of its first character in the script
 * @param line   the 1-based line of its first character
 * @param column the 1-based column (in UTF-16 code units) of its first character
 */
public record Token(TokenType type, String text, int offset, int line, int column) {

    public Token {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(text, "text");
    }

    /** The offset just past the token's last character. */
    public int end() {
        return offset + text.length();
    }

    /** Whether this is the keyword or unquoted identifier {@code word}, ignoring case. */
    public boolean isWord(String word) {
        // The length and first letter first: most calls compare with a word of another length or
        // start, and this is the linter's most frequent call (tens of millions on a large file).
        return type == TokenType.WORD && text.length() == word.length()
                && sameIgnoringCase(text.charAt(0), word.charAt(0)) && text.equalsIgnoreCase(word);
    }

    /** {@link String#equalsIgnoreCase}'s rule for one character. */
    private static boolean sameIgnoringCase(char a, char b) {
        if (a == b) {
            return true;
        }
        char ua = Character.toUpperCase(a);
        char ub = Character.toUpperCase(b);
        return ua == ub || Character.toLowerCase(ua) == Character.toLowerCase(ub);
    }

    /** Whether this is the punctuation or operator {@code symbol}. */
    public boolean isSymbol(String symbol) {
        return (type == TokenType.PUNCT || type == TokenType.OPERATOR) && text.length() == symbol.length()
                && text.charAt(0) == symbol.charAt(0) && text.equals(symbol);
    }

    /** The text in upper case, for comparing keywords. */
    public String upper() {
        return text.toUpperCase(Locale.ROOT);
    }
}
