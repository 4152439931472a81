package dev.reverso.sql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Keywords match word tokens in any case, as a set of the upper-cased text would. */
class KeywordsTest {

    private static final Keywords KEYS = Keywords.of("NOT", "NULL", "PRIMARY", "DEFAULT");

    private static Token word(String text) {
        return new Token(TokenType.WORD, text, 0, 1, 1);
    }

    @Test
    void matchesInEveryCase() {
        for (String text : List.of("NOT", "not", "Not", "nOT", "primary", "Primary", "DEFAULT")) {
            assertThat(KEYS.contains(word(text))).as(text).isTrue();
        }
    }

    @Test
    void refusesOtherWordsAndOtherTokens() {
        for (String text : List.of("NOTE", "nul", "email", "e_mail1", "PRIMARY_", "défault", "")) {
            assertThat(KEYS.contains(word(text))).as(text).isFalse();
        }
        assertThat(KEYS.contains(new Token(TokenType.QUOTED_IDENT, "\"NOT\"", 0, 1, 1))).isFalse();
        assertThat(KEYS.contains(new Token(TokenType.STRING, "NULL", 0, 1, 1))).isFalse();
    }
}
