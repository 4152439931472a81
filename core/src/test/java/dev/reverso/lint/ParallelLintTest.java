package dev.reverso.lint;

import dev.reverso.lint.rules.Rules;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Linting with the rules split over two threads gives the same report as one pass over all of them. */
class ParallelLintTest {

    private static LintReport lint(List<Linter.Source> sources, String baseline, int parallelFrom, LintSettings settings) {
        return new Linter(Rules.all(), settings, parallelFrom).lint(sources, schema(baseline));
    }

    /** The schema a baseline script leaves, replayed without linting. */
    private static SchemaState schema(String baseline) {
        SchemaState state = new SchemaState();
        if (baseline != null) {
            dev.reverso.sql.Classifier classifier = new dev.reverso.sql.Classifier();
            for (dev.reverso.sql.Statement s : dev.reverso.sql.StatementSplitter.split(baseline)) {
                state.apply(new dev.reverso.engine.Step(0, s, classifier.classify(s)));
            }
        }
        return state;
    }

    private static void assertSameReport(List<Linter.Source> sources, String baseline) {
        for (LintSettings settings : List.of(LintSettings.defaults(), LintSettings.defaults().withRunnerTimeouts(false, false))) {
            LintReport one = lint(sources, baseline, Integer.MAX_VALUE, settings);
            LintReport two = lint(sources, baseline, 0, settings);
            assertThat(two.findings()).isEqualTo(one.findings());
            assertThat(two.statements()).isEqualTo(one.statements());
            assertThat(two.files()).isEqualTo(one.files());
        }
    }

    @Test
    void theCorpusAsOneHistory() throws Exception {
        assertSameReport(CorpusScore.readCorpus(LintCorpusTest.corpus()), null);
    }

    @Test
    void theCorpusTwiceInOneFileWithABaseline() throws Exception {
        StringBuilder all = new StringBuilder();
        for (Linter.Source s : CorpusScore.readCorpus(LintCorpusTest.corpus())) {
            all.append(s.text()).append('\n');
        }
        String baseline = "CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE INDEX users_email_idx ON users (email);";
        assertSameReport(List.of(new Linter.Source("all.sql", all.toString() + all)), baseline);
    }

    @Test
    void suppressionsSyntaxErrorsAndUnknownStatements() {
        List<Linter.Source> sources = new ArrayList<>();
        sources.add(new Linter.Source("1_a.sql", "-- reverso:ignore create-index-non-concurrent\nCREATE INDEX i ON users (email);\n"
                + "-- reverso:ignore set-not-null because it is small\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\n"
                + "SET lock_timeout = 0;\nALTER TABLE users ADD COLUMN a int NOT NULL;\nALTER TABLE users ADD COLUMN b int NOT NULL;\n"
                + "FROBNICATE users;\nSELECT (1;\n"));
        sources.add(new Linter.Source("2_b.sql", "CREATE TABLE t (id int PRIMARY KEY, 'unclosed"));
        sources.add(new Linter.Source("3_c.sql", "BEGIN;\nCREATE INDEX CONCURRENTLY j ON users (a);\nCOMMIT;\n"));
        sources.add(new Linter.Source("1_a.sql", "ALTER TABLE users DROP COLUMN a;\n"));
        // Unclosed after several batches of statements were handed to the classifying thread.
        sources.add(new Linter.Source("4_d.sql", "CREATE INDEX k ON users (a);\n".repeat(1_500) + "SELECT 'unclosed"));
        assertSameReport(sources, null);
    }
}
