package dev.reverso.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatementSplitterTest {

    private static List<String> sql(String script) {
        return StatementSplitter.split(script).stream().map(Statement::sql).toList();
    }

    @Test
    void splitsOnTopLevelSemicolons() {
        assertThat(sql("SELECT 1; SELECT 2;\nSELECT 3")).containsExactly("SELECT 1", "SELECT 2", "SELECT 3");
    }

    @Test
    void skipsEmptyStatementsAndCommentOnlyText() {
        assertThat(sql(";; -- nothing\n ; /* still; nothing */ ;\n")).isEmpty();
        assertThat(sql("SELECT 1;;; SELECT 2; -- end")).containsExactly("SELECT 1", "SELECT 2");
    }

    @Test
    void stripsLeadingCommentsKeepsInnerOnes() {
        List<Statement> statements = StatementSplitter.split(
                "-- header; with semicolon\n/* block; */\n  CREATE TABLE t ( -- inner; comment\n a int /* x; */\n) ;");
        assertThat(statements).singleElement().satisfies(s -> {
            assertThat(s.sql()).isEqualTo("CREATE TABLE t ( -- inner; comment\n a int /* x; */\n)");
            assertThat(s.line()).isEqualTo(3);
            assertThat(s.column()).isEqualTo(3);
            assertThat(s.index()).isZero();
            assertThat(s.tokens()).extracting(Token::text).containsExactly("CREATE", "TABLE", "t", "(", "a", "int", ")");
        });
    }

    @Test
    void indexCountsOnlyRealStatements() {
        List<Statement> statements = StatementSplitter.split("; SELECT 1;; SELECT 2");
        assertThat(statements).extracting(Statement::index).containsExactly(0, 1);
        assertThat(statements.get(1).column()).isEqualTo(14);
    }

    @Test
    void dollarQuotedFunctionBody() {
        String fn = "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $fn$\nBEGIN\n  PERFORM 1; RETURN $$;$$;\nEND\n$fn$";
        assertThat(sql(fn + ";\nSELECT f();")).containsExactly(fn, "SELECT f()");
    }

    @Test
    void doBlock() {
        String block = "DO $$ BEGIN RAISE NOTICE 'a;b'; END $$";
        assertThat(sql(block + "; SELECT 1")).containsExactly(block, "SELECT 1");
    }

    @Test
    void semicolonsInStringsIdentifiersAndComments() {
        String a = "SELECT ';', \"we;ird\", E'it\\';s' /* ; */";
        String b = "INSERT INTO t VALUES ('a''; b') -- ;";
        assertThat(sql(a + ";" + b + "\n;")).containsExactly("SELECT ';', \"we;ird\", E'it\\';s'",
                "INSERT INTO t VALUES ('a''; b')");
    }

    @Test
    void semicolonsInsideParenthesesDoNotSplit() {
        String rule = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))";
        assertThat(sql(rule + "; SELECT 1")).containsExactly(rule, "SELECT 1");
    }

    @Test
    void beginAtomicBody() {
        String fn = """
                CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql
                BEGIN ATOMIC
                  INSERT INTO t VALUES (a);
                  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;
                  SELECT CASE a WHEN 1 THEN (CASE WHEN true THEN 2 END) ELSE 3 END;
                END""";
        String proc = "create procedure p() begin atomic select 1; select 2; end";
        assertThat(sql(fn + ";\n" + proc + ";\nSELECT 2;")).containsExactly(fn, proc, "SELECT 2");
    }

    @Test
    void beginOutsideRoutinesIsATransaction() {
        assertThat(sql("BEGIN; CREATE TABLE t (a int); COMMIT;"))
                .containsExactly("BEGIN", "CREATE TABLE t (a int)", "COMMIT");
    }

    @Test
    void caseOutsideBeginAtomicDoesNotNest() {
        assertThat(sql("CREATE FUNCTION f() RETURNS int AS 'select case when true then 1 end' LANGUAGE sql; SELECT 1"))
                .hasSize(2);
    }

    @Test
    void unterminatedConstructsFail() {
        assertThatThrownBy(() -> StatementSplitter.split("SELECT 1;\nDO $$ BEGIN"))
                .isInstanceOf(SqlSyntaxException.class)
                .hasMessageContaining("line 2, column 4");
    }
}
