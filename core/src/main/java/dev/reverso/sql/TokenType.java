package dev.reverso.sql;

/** The kinds of token the {@link Lexer} produces. */
public enum TokenType {
    /** A keyword or an unquoted identifier, such as {@code SELECT} or {@code users}. */
    WORD,
    /** A double-quoted identifier, including the {@code U&"..."} form. */
    QUOTED_IDENT,
    /** A string constant: standard, {@code E'...'}, {@code U&'...'}, {@code N'...'}, {@code B'...'} or {@code X'...'}. */
    STRING,
    /** A dollar-quoted string such as {@code $$...$$} or {@code $fn$...$fn$}. */
    DOLLAR_STRING,
    /** A numeric constant. */
    NUMBER,
    /** A positional parameter such as {@code $1}. */
    PARAM,
    /** An operator such as {@code =}, {@code <>}, {@code ||}, {@code ::=} or {@code ->>}. */
    OPERATOR,
    /** One of {@code ( ) , ; . [ ] :} or the cast {@code ::}. */
    PUNCT,
    /** A {@code --} comment up to, not including, the end of its line. */
    LINE_COMMENT,
    /** A {@code /* ... *}{@code /} comment, which may nest. */
    BLOCK_COMMENT,
    /** Spaces, tabs, form feeds and line breaks. */
    WHITESPACE;

    /** Whether tokens of this type carry meaning, as opposed to whitespace and comments. */
    public boolean isSignificant() {
        return this != WHITESPACE && this != LINE_COMMENT && this != BLOCK_COMMENT;
    }
}
