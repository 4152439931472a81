package dev.reverso.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Step.summary reads only the head of a statement, and gives what collapsing and stripping all of it gives. */
class StepSummaryTest {

    /** Pieces with every kind of whitespace the summary treats apart: regex \s runs, other Unicode spaces, NBSP. */
    private static final List<String> PIECES = List.of("a", "bc", "CREATE TABLE t", "(", ")", "é", "\u00A0", " ", "  ",
            "\t", "\n", "\r\n", "\u000B", "\f", "\u2003", "\u001C", "x".repeat(30), "y".repeat(77), " ".repeat(5));

    /** The definition: each run of regex \s as one space, stripped, cut to 80 characters. */
    private static String expected(String sql) {
        String flat = sql.replaceAll("\\s+", " ").strip();
        return flat.length() <= 80 ? flat : flat.substring(0, 77) + "...";
    }

    @Test
    void summaryIsTheCollapsedStatementCutTo80() {
        qt().withExamples(3000)
                .forAll(lists().of(arbitrary().pick(PIECES)).ofSizeBetween(0, 12))
                .checkAssert(parts -> {
                    String sql = String.join("", parts);
                    assertThat(Step.summary(sql)).isEqualTo(expected(sql));
                });
    }

    @Test
    void edgesAroundTheCut() {
        for (String sql : List.of("", " ", "x".repeat(80), "x".repeat(81), "x".repeat(80) + "   ", "x".repeat(80) + " \u2003 y",
                "x".repeat(79) + "  \u2003", " \u2003 " + "x".repeat(80), "x".repeat(77) + "\n\n\nabc",
                "a b".repeat(40), "x".repeat(80) + " y", "x".repeat(79) + " " + "y".repeat(5), "x".repeat(79) + "  y", "x y ")) {
            assertThat(Step.summary(sql)).as(sql).isEqualTo(expected(sql));
        }
    }
}
