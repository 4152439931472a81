package dev.reverso.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LexerTest {

    private static List<Token> significant(String sql) {
        return Lexer.tokenize(sql).stream().filter(t -> t.type().isSignificant()).toList();
    }

    private static List<String> texts(String sql) {
        return significant(sql).stream().map(Token::text).toList();
    }

    @Test
    void tokensCoverTheWholeScript() {
        String sql = "SELECT 'a''b', E'c\\'d', $$x$$ -- c\n/* /* n */ */ FROM \"T\"\"x\";";
        String joined = String.join("", Lexer.tokenize(sql).stream().map(Token::text).toList());
        assertThat(joined).isEqualTo(sql);
    }

    @Test
    void dollarQuotesWithDifferentTagsNest() {
        String sql = "$fn$ BEGIN EXECUTE $q$ SELECT ';' $q$; RETURN $$x$$; END $fn$";
        List<Token> tokens = significant(sql);
        assertThat(tokens).hasSize(1);
        assertThat(tokens.get(0).type()).isEqualTo(TokenType.DOLLAR_STRING);
    }

    @Test
    void dollarTagThatOnlyStartsLikeTheDelimiterDoesNotClose() {
        assertThat(texts("$a$ $ab$ x $a$ y")).containsExactly("$a$ $ab$ x $a$", "y");
        assertThat(texts("$a$x$$a$")).containsExactly("$a$x$$a$");
    }

    @Test
    void dollarTagsAreCaseSensitive() {
        assertThat(texts("$A$ $a$ $A$")).containsExactly("$A$ $a$ $A$");
    }

    @Test
    void dollarDigitIsAParameter() {
        List<Token> tokens = significant("SELECT $1, $23 FROM t WHERE a = $2");
        assertThat(tokens).filteredOn(t -> t.type() == TokenType.PARAM).extracting(Token::text)
                .containsExactly("$1", "$23", "$2");
    }

    @Test
    void dollarInsideIdentifierIsPartOfIt() {
        assertThat(significant("a$b$$c")).singleElement().extracting(Token::type).isEqualTo(TokenType.WORD);
    }

    @Test
    void escapeStringsHonourBackslash() {
        List<Token> tokens = significant("SELECT E'it\\'s; fine', e'\\\\', 'plain\\' x");
        assertThat(tokens).extracting(Token::text)
                .containsExactly("SELECT", "E'it\\'s; fine'", ",", "e'\\\\'", ",", "'plain\\'", "x");
    }

    @Test
    void standardStringsDoubleTheQuote() {
        assertThat(texts("'it''s; ok' x")).containsExactly("'it''s; ok'", "x");
    }

    @Test
    void prefixedStringsAreStrings() {
        List<Token> tokens = significant("U&'d\\0061t' B'101' X'ff' N'n'");
        assertThat(tokens).extracting(Token::type).containsOnly(TokenType.STRING);
        assertThat(tokens).hasSize(4);
    }

    @Test
    void unicodeQuotedIdentifier() {
        Token token = significant("U&\"d\\0061t\\+000061\"").get(0);
        assertThat(token.type()).isEqualTo(TokenType.QUOTED_IDENT);
        assertThat(Identifiers.name(token)).isEqualTo("data");
    }

    @Test
    void adjacentStringsAcrossANewlineAreOneConstant() {
        assertThat(texts("SELECT 'a'\n'b' x")).containsExactly("SELECT", "'a'\n'b'", "x");
        assertThat(texts("SELECT 'a' 'b'")).containsExactly("SELECT", "'a'", "'b'");
    }

    @Test
    void continuationOfAnEscapeStringKeepsBackslashEscapes() {
        // PostgreSQL reads the second part in escape mode too, so \' does not end it.
        assertThat(texts("SELECT E'a'\n'\\';' x")).containsExactly("SELECT", "E'a'\n'\\';'", "x");
    }

    @Test
    void quotedIdentifiersDoubleTheQuote() {
        Token token = significant("\"a\"\"; b\"").get(0);
        assertThat(token.type()).isEqualTo(TokenType.QUOTED_IDENT);
        assertThat(Identifiers.name(token)).isEqualTo("a\"; b");
    }

    @Test
    void blockCommentsNest() {
        List<Token> tokens = Lexer.tokenize("/* a /* b; */ c; */x");
        assertThat(tokens).extracting(Token::type).containsExactly(TokenType.BLOCK_COMMENT, TokenType.WORD);
    }

    @Test
    void lineCommentStopsAtTheLineBreak() {
        List<Token> tokens = Lexer.tokenize("-- a; 'b\nc");
        assertThat(tokens).extracting(Token::text).containsExactly("-- a; 'b", "\n", "c");
    }

    @Test
    void operatorsStopBeforeComments() {
        assertThat(texts("a +-- c\n b")).containsExactly("a", "+", "b");
        assertThat(texts("a */* c */ b")).containsExactly("a", "*", "b");
        assertThat(texts("a->>'k' <> b")).containsExactly("a", "->>", "'k'", "<>", "b");
        assertThat(texts("a=-1")).containsExactly("a", "=", "-", "1");
        assertThat(texts("a@-1")).containsExactly("a", "@-", "1");
    }

    @Test
    void punctuationAndCasts() {
        List<Token> tokens = significant("x::int[1:2]");
        assertThat(tokens).extracting(Token::text).containsExactly("x", "::", "int", "[", "1", ":", "2", "]");
        assertThat(tokens.get(1).type()).isEqualTo(TokenType.PUNCT);
    }

    @Test
    void numbers() {
        assertThat(significant("1 1.5 .5 1e10 2.5E-3 1_000 0xFF 1..10")).extracting(Token::text)
                .containsExactly("1", "1.5", ".5", "1e10", "2.5E-3", "1_000", "0xFF", "1", "..", "10");
    }

    @Test
    void linesAndColumnsAreOneBased() {
        List<Token> tokens = significant("SELECT\r\n  a,\n\tb\rFROM t");
        assertThat(tokens).extracting(t -> t.line() + ":" + t.column())
                .containsExactly("1:1", "2:3", "2:4", "3:2", "4:1", "4:6");
    }

    @Test
    void unterminatedDollarQuoteNamesWhereItStarts() {
        assertThatThrownBy(() -> Lexer.tokenize("SELECT 1;\n\nCREATE FUNCTION f() AS $body$ x $bod$"))
                .isInstanceOf(SqlSyntaxException.class)
                .hasMessage("unterminated dollar-quoted string starting at line 3, column 24");
    }

    @Test
    void unterminatedConstructsNameWhereTheyStart() {
        assertThatThrownBy(() -> Lexer.tokenize("SELECT\n  'abc")).hasMessage(
                "unterminated quoted string starting at line 2, column 3");
        assertThatThrownBy(() -> Lexer.tokenize("SELECT E'\\'")).hasMessage(
                "unterminated quoted string starting at line 1, column 8");
        assertThatThrownBy(() -> Lexer.tokenize("x \"ab\"\"")).hasMessage(
                "unterminated quoted identifier starting at line 1, column 3");
        assertThatThrownBy(() -> Lexer.tokenize("a\n /* /* */")).hasMessage(
                "unterminated block comment starting at line 2, column 2");
        SqlSyntaxException error = org.junit.jupiter.api.Assertions.assertThrows(SqlSyntaxException.class,
                () -> Lexer.tokenize("$$"));
        assertThat(error.line()).isEqualTo(1);
        assertThat(error.column()).isEqualTo(1);
    }
}
