package dev.reverso.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A position in a statement's significant tokens, with the look-ahead the classifier needs. */
final class TokenCursor {

    /** A TokenList: the cursor reads each token many times, and C1 calls List's methods through a stub. */
    private final TokenList tokens;
    private int pos;

    TokenCursor(List<Token> tokens) {
        this.tokens = TokenList.of(tokens);
    }

    boolean atEnd() {
        return pos >= tokens.size();
    }

    int position() {
        return pos;
    }

    List<Token> tokens() {
        return tokens;
    }

    /** The token {@code ahead} places after the current one, or null past the end. */
    Token peek(int ahead) {
        int at = pos + ahead;
        return tokens.at(at);
    }

    Token peek() {
        return peek(0);
    }

    Token next() {
        return atEnd() ? null : tokens.get(pos++);
    }

    /** Whether the next tokens are these keywords, in order. */
    boolean at(String... words) {
        for (int i = 0; i < words.length; i++) {
            Token token = peek(i);
            if (token == null || !token.isWord(words[i])) {
                return false;
            }
        }
        return true;
    }

    /** Consumes the keywords if the next tokens are exactly these, in order. */
    boolean accept(String... words) {
        if (!at(words)) {
            return false;
        }
        pos += words.length;
        return true;
    }

    /** Consumes the punctuation or operator if it comes next. */
    boolean acceptSymbol(String symbol) {
        Token token = peek();
        if (token == null || !token.isSymbol(symbol)) {
            return false;
        }
        pos++;
        return true;
    }

    boolean atSymbol(String symbol) {
        Token token = peek();
        return token != null && token.isSymbol(symbol);
    }

    /** Consumes {@code IF EXISTS} or {@code IF NOT EXISTS}, whichever comes next. */
    boolean acceptIfExists() {
        return accept("IF", "EXISTS") || accept("IF", "NOT", "EXISTS");
    }

    /** Reads a possibly qualified name, if an identifier comes next. */
    Optional<QualifiedName> name() {
        if (!isIdentifier(peek())) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        parts.add(Identifiers.name(next()));
        while (atSymbol(".") && isIdentifier(peek(1))) {
            pos++;
            parts.add(Identifiers.name(next()));
        }
        return Optional.of(new QualifiedName(parts));
    }

    /** Skips a parenthesised group if one comes next. */
    void skipParens() {
        if (!atSymbol("(")) {
            return;
        }
        int depth = 0;
        while (!atEnd()) {
            Token token = next();
            if (token.isSymbol("(")) {
                depth++;
            } else if (token.isSymbol(")") && --depth == 0) {
                return;
            }
        }
    }

    /** Skips tokens up to (not including) the next {@code ,} outside parentheses, or the end. */
    void skipToComma() {
        int depth = 0;
        while (!atEnd()) {
            Token token = peek();
            if (depth == 0 && token.isSymbol(",")) {
                return;
            }
            if (token.isSymbol("(")) {
                depth++;
            } else if (token.isSymbol(")")) {
                depth--;
            }
            pos++;
        }
    }

    /** Whether a keyword appears anywhere from the current position on. */
    boolean containsWord(String word) {
        for (int i = pos; i < tokens.size(); i++) {
            if (tokens.get(i).isWord(word)) {
                return true;
            }
        }
        return false;
    }

    static boolean isIdentifier(Token token) {
        return token != null && (token.type() == TokenType.WORD || token.type() == TokenType.QUOTED_IDENT);
    }
}
