package dev.reverso.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class IdentifiersTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "users|users",
            "user_2|user_2",
            "Users|\"Users\"",
            "2fa|\"2fa\"",
            "_x|_x",
            "a b|\"a b\"",
            "a\"b|\"a\"\"b\"",
            "select|\"select\"",
            "user|\"user\"",
            "int|\"int\"",
            "between|\"between\"",
            "left|\"left\"",
            "xmltable|\"xmltable\"",
            "name|name",
            "text|text",
            "comment|comment",
            "a$|\"a$\"",
            "é|\"é\"",
    })
    void quoteFollowsQuoteIdent(String name, String expected) {
        assertThat(Identifiers.quote(name)).isEqualTo(expected);
    }

    @Test
    void qualified() {
        assertThat(Identifiers.qualified("public", "Users")).isEqualTo("public.\"Users\"");
        assertThat(Identifiers.qualified(null, "users")).isEqualTo("users");
        assertThat(Identifiers.qualified("My Schema", "order")).isEqualTo("\"My Schema\".\"order\"");
    }

    @Test
    void namesFromTokensFollowPostgresqlFolding() {
        assertThat(Identifiers.name(Lexer.tokenize("UsErS").get(0))).isEqualTo("users");
        assertThat(Identifiers.name(Lexer.tokenize("\"UsErS\"").get(0))).isEqualTo("UsErS");
        // Like the server in a multi-byte encoding, only ASCII letters are folded.
        assertThat(Identifiers.name(Lexer.tokenize("ÉTÉ").get(0))).isEqualTo("ÉtÉ");
    }

    @Test
    void storedNamesAreCutLikeTheServerCutsThem() {
        String longName = "a".repeat(70);
        assertThat(Identifiers.name(Lexer.tokenize(longName).get(0))).isEqualTo(longName);
        assertThat(Identifiers.stored(Lexer.tokenize(longName).get(0))).isEqualTo("a".repeat(63));
        // 'é' is two bytes: 31 of them fit, the 32nd would be cut in half.
        assertThat(Identifiers.stored(Lexer.tokenize("\"" + "é".repeat(40) + "\"").get(0))).isEqualTo("é".repeat(31));
        assertThat(Identifiers.stored(Lexer.tokenize("users").get(0))).isEqualTo("users");
    }

    @Test
    void aUnicodeNameWithUescapeIsOneTokenDecodedWithItsEscape() {
        java.util.List<Token> tokens = Lexer.tokenize("U&\"d!0061t!+000061\" UESCAPE '!' text").stream()
                .filter(t -> t.type().isSignificant()).toList();
        assertThat(tokens).hasSize(2);
        assertThat(Identifiers.name(tokens.get(0))).isEqualTo("data");
        assertThat(Identifiers.name(Lexer.tokenize("U&\"d\\0061t\"").get(0))).isEqualTo("dat");
        assertThat(Identifiers.name(Lexer.tokenize("u&\"a!!b\"uescape'!'").get(0))).isEqualTo("a!b");
    }
}
