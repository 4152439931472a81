package dev.reverso.cli;

import dev.reverso.lint.CorpusScore;
import dev.reverso.lint.Finding;
import dev.reverso.lint.LintReport;
import dev.reverso.lint.LintSettings;
import dev.reverso.lint.Linter;
import dev.reverso.lint.Severity;
import dev.reverso.lint.rules.Rules;
import dev.reverso.sql.LockMode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/** lint --format json, written by hand, is byte for byte what Jackson writes for the same report. */
class LintJsonTest {

    private static String printed(BiConsumer<PrintStream, LintReport> printer, LintReport report) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        printer.accept(out, report);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void assertSameAsJackson(LintReport report) {
        assertThat(printed(LintJson::print, report)).isEqualTo(printed((out, r) -> new Json().print(out, r), report));
    }

    @Test
    void theCorpusReport() {
        LintReport report = new Linter(Rules.all(), LintSettings.defaults())
                .lint(CorpusScore.readCorpus(Path.of("../core/src/test/resources/lint-corpus")));
        assertThat(report.findings()).hasSizeGreaterThan(100);
        assertSameAsJackson(report);
    }

    @Test
    void emptyAndOddStrings() {
        assertSameAsJackson(new LintReport(List.of(), 0, 0));
        String odd = "quote \" backslash \\ tab \t nl \n cr \r bs \b ff \f nul \u0000 us \u001F del \u007F é ∅ \uD83D\uDE00 </x>"
                + " lone \uD800 surrogate \uDC00";
        Finding first = new Finding(odd, Severity.ERROR, odd, 1, 2, odd, LockMode.ACCESS_EXCLUSIVE, odd, odd, odd, null, odd);
        Finding other = new Finding("r", Severity.INFO, "f", 3, 4, "", LockMode.NONE, "", "", "", "", null);
        // The same Strings again: repeated fields are copied from their first writing.
        Finding again = new Finding(odd, Severity.ERROR, "f", 5, 6, odd, LockMode.ACCESS_EXCLUSIVE, odd, odd, odd, odd, null);
        assertSameAsJackson(new LintReport(List.of(first, other, again, other), 1, 4));
    }

    @Test
    void aReportLargeEnoughForTwoThreads() {
        List<Finding> many = new ArrayList<>();
        for (int i = 0; i < LintJson.PARALLEL_FROM + 1_001; i++) {
            many.add(new Finding("rule-" + (i % 7), Severity.values()[i % Severity.values().length], "f.sql", i, 1,
                    "ALTER TABLE t" + i, LockMode.values()[i % LockMode.values().length], "writes", "message \"" + i + "\"",
                    "rewrite\n" + i, i % 2 == 0 ? null : "t" + i, null));
        }
        assertSameAsJackson(new LintReport(many, 1, many.size()));
    }
}
