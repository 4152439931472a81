package dev.reverso.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class StatementSplitterPropertyTest {

    /** Pieces of statement text, many hiding a semicolon where it must not split. */
    private static final List<String> FRAGMENTS = List.of(
            "x", "1.5", "$1", "=", "::int", "(a, b)", "(c; d)",
            "';'", "'it''s;'", "E'\\';'", "e'\\\\'", "U&'\\0041;'", "$$;$$", "$fn$ ; $$ ; $fn$",
            "$a$ $ab$ ; $a$", "\"semi;colon\"", "\"q\"\";\"", "/* ; */", "/* /* ; */ ' */", "-- ; 'x\n",
            "CASE WHEN a THEN ';' END", "(CASE x WHEN 1 THEN 2 END)");

    /** Outside routine bodies, BEGIN and END are plain words. */
    private static final List<String> BLOCK_WORDS = List.of("BEGIN", "END", "BEGIN ATOMIC");

    private static final Gen<String> PLAIN = statement(FRAGMENTS);

    private static final Gen<String> WITH_BLOCK_WORDS = statement(
            java.util.stream.Stream.concat(FRAGMENTS.stream(), BLOCK_WORDS.stream()).toList());

    private static Gen<String> statement(List<String> fragments) {
        return lists().of(arbitrary().pick(fragments)).ofSizeBetween(0, 6)
                .map(parts -> "SELECT " + String.join(" ", parts) + " y");
    }

    private static final Gen<String> ATOMIC_BODY = lists().of(PLAIN).ofSizeBetween(1, 3)
            .map(body -> "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC "
                    + String.join("; ", body) + "; END");

    @Test
    void joiningAndSplittingGivesTheStatementsBack() {
        qt().withExamples(500)
                .forAll(lists().of(WITH_BLOCK_WORDS.mix(ATOMIC_BODY, 30)).ofSizeBetween(1, 6))
                .checkAssert(statements -> assertThat(StatementSplitter.split(String.join(";\n", statements)))
                        .extracting(Statement::sql)
                        .containsExactlyElementsOf(statements));
    }
}
