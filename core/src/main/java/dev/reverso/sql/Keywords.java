package dev.reverso.sql;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A set of keywords that word tokens are matched against in any case. A token written all in
 * upper or all in lower case, as nearly all SQL is, is looked up as it is; only a mixed-case one
 * is upper-cased first. The linter asks this of most tokens of a column definition, and making an
 * upper-case copy of each was tens of MB on a large file.
 */
public final class Keywords {

    private final Set<String> upper;
    private final Set<String> lower;

    private Keywords(Set<String> upper) {
        this.upper = upper;
        this.lower = upper.stream().map(w -> w.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** The keywords, written in upper case. */
    public static Keywords of(String... words) {
        return new Keywords(Stream.of(words).collect(Collectors.toUnmodifiableSet()));
    }

    /** Whether the token is a word (keyword or unquoted identifier) that is one of these keywords. */
    public boolean contains(Token token) {
        if (token.type() != TokenType.WORD) {
            return false;
        }
        String text = token.text();
        return switch (letterCase(text)) {
            case 1 -> upper.contains(text);
            case -1 -> lower.contains(text);
            default -> upper.contains(token.upper());
        };
    }

    /** 1 when no letter is lower case, -1 when no letter is upper case (ASCII), 0 otherwise or for other letters. */
    private static int letterCase(String text) {
        boolean sawUpper = false;
        boolean sawLower = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'a' && c <= 'z') {
                sawLower = true;
            } else if (c >= 'A' && c <= 'Z') {
                sawUpper = true;
            } else if (c >= 0x80) {
                return 0;
            }
        }
        return sawLower ? (sawUpper ? 0 : -1) : 1;
    }
}
