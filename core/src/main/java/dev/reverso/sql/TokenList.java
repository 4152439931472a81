package dev.reverso.sql;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An unmodifiable list of tokens over an array, whose sublists are views of the same array.
 * {@link Statement#tokens()} is one. Code that walks tokens many times can take the list as a
 * {@code TokenList} ({@link #of}) and call {@link #get} and {@link #size} on this final class:
 * bin/reverso runs on C1 alone, which calls a {@code List}'s methods through an interface stub
 * without inlining them, and the linter walks a large file's tokens some hundred million times.
 */
public final class TokenList extends AbstractList<Token> implements RandomAccess {

    private static final TokenList EMPTY = new TokenList(new Token[0], 0, 0);

    private final Token[] tokens;
    private final int from;
    private final int size;

    private TokenList(Token[] tokens, int from, int size) {
        this.tokens = tokens;
        this.from = from;
        this.size = size;
    }

    /**
     * The tokens as a {@code TokenList}: the list itself if it is one, else a copy.
     *
     * @throws NullPointerException if a token is null, as {@link List#copyOf} does
     */
    public static TokenList of(List<Token> tokens) {
        if (tokens instanceof TokenList list) {
            return list;
        }
        if (tokens.isEmpty()) {
            return EMPTY;
        }
        Token[] copy = tokens.toArray(new Token[0]);
        for (Token t : copy) {
            Objects.requireNonNull(t, "token");
        }
        return new TokenList(copy, 0, copy.length);
    }

    @Override
    public Token get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " of " + size + " tokens");
        }
        return tokens[from + index];
    }

    /** The token at {@code index}, or null outside the list (a negative index included). */
    public Token at(int index) {
        return index >= 0 && index < size ? tokens[from + index] : null;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public TokenList subList(int fromIndex, int toIndex) {
        Objects.checkFromToIndex(fromIndex, toIndex, size);
        return new TokenList(tokens, from + fromIndex, toIndex - fromIndex);
    }
}
