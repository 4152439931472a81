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
        return type == TokenType.WORD && text.equalsIgnoreCase(word);
    }

    /** Whether this is the punctuation or operator {@code symbol}. */
    public boolean isSymbol(String symbol) {
        return (type == TokenType.PUNCT || type == TokenType.OPERATOR) && text.equals(symbol);
    }

    /** The text in upper case, for comparing keywords. */
    public String upper() {
        return text.toUpperCase(Locale.ROOT);
    }
}
