package dev.reverso.lint;

import dev.reverso.lint.rules.Rules;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Rule#handles} only spares calls: linting with each rule asked about the commands it
 * handles gives the same findings as calling every rule on every statement, on the lint corpus
 * and on random SQL.
 */
class RuleDispatchTest {

    /** A rule that is called on every statement, whatever the rule it wraps says it handles. */
    private record EveryCommand(Rule rule) implements Rule {
        @Override
        public String id() {
            return rule.id();
        }

        @Override
        public Severity severity() {
            return rule.severity();
        }

        @Override
        public void check(StatementContext ctx) {
            rule.check(ctx);
        }

        @Override
        public boolean oncePerFile() {
            return rule.oncePerFile();
        }
    }

    private static final List<String> WORDS = List.of("create", "unique", "index", "concurrently", "alter", "table", "type",
            "domain", "schema", "view", "materialized", "add", "value", "column", "drop", "constraint", "foreign key",
            "references", "not valid", "validate", "not null", "default", "rename", "to", "(", ")", ",", ";", "users",
            "orders", "id", "int", "integer", "varchar(10)", "char(2)", "json", "timestamp", "serial", "primary key",
            "check (id > 0)", "begin", "commit", "set lock_timeout = 0", "set statement_timeout = 0", "update users set id = 1",
            "insert into users (id, id) select id from orders", "delete from users", "truncate", "cascade", "vacuum full",
            "cluster", "reindex", "refresh materialized view", "lock table", "attach partition", "detach partition",
            "with x as (select 1)", "if not exists", "if exists", "'a'", "using", "on", "where", "\n");

    @Test
    void theCorpusGivesTheSameFindings() throws Exception {
        List<Linter.Source> corpus = CorpusScore.readCorpus(LintCorpusTest.corpus());
        assertSameFindings(corpus);
    }

    @Test
    void randomSqlGivesTheSameFindings() {
        Random random = new Random(20261122);
        for (int run = 0; run < 300; run++) {
            List<Linter.Source> files = new ArrayList<>();
            for (int f = 0; f < 3; f++) {
                StringBuilder sql = new StringBuilder();
                int words = random.nextInt(80);
                for (int w = 0; w < words; w++) {
                    sql.append(WORDS.get(random.nextInt(WORDS.size()))).append(' ');
                }
                files.add(new Linter.Source("r" + run + "_" + f + ".sql", sql.toString()));
            }
            assertSameFindings(files);
        }
    }

    private static void assertSameFindings(List<Linter.Source> sources) {
        // Also without the runner's timeouts, so that the once-per-file timeout rules report.
        for (LintSettings settings : List.of(LintSettings.defaults(), LintSettings.defaults().withRunnerTimeouts(false, false))) {
            List<Rule> every = Rules.all().stream().<Rule>map(EveryCommand::new).toList();
            LintReport dispatched = new Linter(Rules.all(), settings).lint(sources);
            LintReport called = new Linter(every, settings).lint(sources);
            assertThat(dispatched.findings()).isEqualTo(called.findings());
        }
    }
}
