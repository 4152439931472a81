package dev.reverso.lint;

import dev.reverso.lint.rules.Rules;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lints the corpus of realistic migrations (src/test/resources/lint-corpus, linted in file-name
 * order as one history) and scores the findings against expected.tsv: recall, precision, safe
 * files flagged. It always prints the score and checks that the corpus is well formed and that
 * the linter survives every file, and asserts the thresholds of the lint issue: recall >= 0.90,
 * precision >= 0.95, at most one safe file flagged.
 */
class LintCorpusTest {

    static final double MIN_RECALL = 0.90;
    static final double MIN_PRECISION = 0.95;
    static final int MAX_SAFE_FLAGGED = 1;

    /** Rule ids of LINT_HAZARDS.md, #1-51 in order. */
    static final List<String> HAZARD_IDS = List.of(
            "create-index-non-concurrent", "drop-index-non-concurrent", "reindex-non-concurrent",
            "statement-forbidden-in-transaction", "concurrent-index-if-not-exists", "add-column-default-rewrite",
            "add-column-serial-or-identity", "add-column-generated-stored", "change-column-type-rewrite", "set-not-null",
            "add-check-without-not-valid", "add-foreign-key-without-not-valid", "validate-in-same-transaction",
            "add-unique-constraint", "add-primary-key", "add-exclusion-constraint", "vacuum-full-or-cluster",
            "rewrite-via-table-option", "detach-partition-non-concurrent", "attach-partition-without-check",
            "refresh-matview-non-concurrent", "domain-constraint", "explicit-lock-table", "lock-held-across-statements",
            "unbatched-backfill", "missing-lock-timeout", "missing-statement-timeout",
            "add-column-required", "uniqueness-on-existing-data", "add-enum-value-in-transaction",
            "unbalanced-transaction", "non-atomic-multi-statement", "duplicate-column-assignment", "identifier-too-long",
            "drop-column", "drop-table", "drop-schema-or-database", "rename-column", "rename-table-or-schema",
            "rename-enum-value", "drop-not-null", "truncate-table", "drop-foreign-key",
            "prefer-bigint", "prefer-identity", "prefer-text-over-varchar", "char-type", "prefer-timestamptz",
            "json-column", "enum-value-ordering", "fk-without-index");

    static Path corpus() throws URISyntaxException {
        return Path.of(LintCorpusTest.class.getResource("/lint-corpus/expected.tsv").toURI()).getParent();
    }

    @Test
    void theCorpusCoversEveryHazardAndListsEveryFile() throws Exception {
        Map<String, Set<String>> expected = CorpusScore.readExpected(corpus().resolve("expected.tsv"));
        List<Linter.Source> sources = CorpusScore.readCorpus(corpus());

        assertThat(sources).hasSizeGreaterThanOrEqualTo(70);
        assertThat(expected.keySet()).containsExactlyElementsOf(sources.stream().map(Linter.Source::file).toList());
        Set<String> used = new TreeSet<>();
        expected.values().forEach(used::addAll);
        assertThat(used).as("expected.tsv uses only LINT_HAZARDS.md ids").isSubsetOf(HAZARD_IDS);
        assertThat(used).as("every hazard is in the corpus").containsAll(HAZARD_IDS);
        assertThat(expected.values().stream().filter(Set::isEmpty).count()).as("safe files").isGreaterThanOrEqualTo(20);

        Map<String, List<String>> squawk = CorpusScore.readRuleMap(corpus().resolve("squawk-map.tsv"));
        squawk.values().forEach(ids -> assertThat(ids).isSubsetOf(HAZARD_IDS));
    }

    @Test
    void scoresTheLinterOnTheCorpus() throws Exception {
        Map<String, Set<String>> expected = CorpusScore.readExpected(corpus().resolve("expected.tsv"));
        List<Linter.Source> sources = CorpusScore.readCorpus(corpus());

        LintReport report = new Linter(Rules.all(), LintSettings.defaults()).lint(sources);
        CorpusScore score = CorpusScore.ofReport(expected, report);
        System.out.println(score.table("Reverso (" + Rules.all().size() + " rules)"));

        assertThat(report.files()).isEqualTo(sources.size());
        assertThat(report.findings()).as("no file is a syntax error to the linter")
                .noneMatch(f -> f.ruleId().equals(Linter.SYNTAX_ERROR));
        assertThat(score.recall()).as("recall").isGreaterThanOrEqualTo(MIN_RECALL);
        assertThat(score.precision()).as("precision").isGreaterThanOrEqualTo(MIN_PRECISION);
        assertThat(score.safeFilesFlagged()).as("safe files flagged").hasSizeLessThanOrEqualTo(MAX_SAFE_FLAGGED);
    }
}
