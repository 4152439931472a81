package dev.reverso.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenListTest {

    private final List<Token> tokens = Lexer.tokenize("ALTER TABLE t ADD COLUMN c int").stream()
            .filter(t -> t.type() == TokenType.WORD).toList();

    @Test
    void holdsTheTokensInOrderAndEqualsAnyListOfThem() {
        TokenList list = TokenList.of(tokens);
        assertThat(list).containsExactlyElementsOf(tokens);
        assertThat(list).isEqualTo(tokens).hasSameHashCodeAs(tokens);
        assertThat(TokenList.of(list)).isSameAs(list);
    }

    @Test
    void aSublistIsAViewWithItsOwnBounds() {
        TokenList tail = TokenList.of(tokens).subList(3, 7);
        assertThat(tail).extracting(Token::text).containsExactly("ADD", "COLUMN", "c", "int");
        assertThat(tail.subList(1, 3)).extracting(Token::text).containsExactly("COLUMN", "c");
        assertThat(tail.at(-1)).isNull();
        assertThat(tail.at(4)).isNull();
        assertThat(tail.at(0).text()).isEqualTo("ADD");
        assertThatThrownBy(() -> tail.get(4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> tail.subList(2, 5)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void isACopyThatCannotChange() {
        List<Token> source = new ArrayList<>(tokens);
        TokenList list = TokenList.of(source);
        source.clear();
        assertThat(list).hasSize(7);
        assertThatThrownBy(() -> list.add(tokens.get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> list.set(0, tokens.get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> TokenList.of(Arrays.asList(tokens.get(0), null))).isInstanceOf(NullPointerException.class);
    }
}
