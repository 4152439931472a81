package dev.reverso.lint;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LinterTest {

    /** With the runner's statement timeout on, so that missing-statement-timeout stays out of these cases. */
    private static final LintSettings TIMEOUTS = LintSettings.defaults().withRunnerTimeouts(true, true);

    @Test
    void findsAHazardWithItsLockAndRewrite() {
        var findings = LintCase.of("create index users_email_idx on users (email);").with(TIMEOUTS).findings();

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("create-index-non-concurrent");
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.file()).isEqualTo("0001_case.up.sql");
            assertThat(f.line()).isEqualTo(1);
            assertThat(f.lock().sqlName()).isEqualTo("SHARE");
            assertThat(f.blocks()).isEqualTo("writes");
            assertThat(f.rewrite()).startsWith("create index concurrently users_email_idx on users (email);");
        });
    }

    @Test
    void aTableCreatedEarlierInTheSameMigrationIsExemptButNotInTheNextOne() {
        assertThat(LintCase.of("create table t (id int);\ncreate index t_idx on t (id);").with(TIMEOUTS).ids()).isEmpty();
        assertThat(LintCase.of("create table t (id int);").then("create index t_idx on t (id);").with(TIMEOUTS).ids())
                .containsExactly("create-index-non-concurrent");
    }

    @Test
    void suppressionsNeedAReason() {
        assertThat(LintCase.of("-- reverso:ignore create-index-non-concurrent, missing-statement-timeout the table has 10 rows\n"
                + "create index i on t (x);").ids()).isEmpty();
        assertThat(LintCase.of("-- reverso:ignore create-index-non-concurrent\ncreate index i on t (x);").with(TIMEOUTS).ids())
                .containsExactly(Linter.SUPPRESSION_WITHOUT_REASON);
    }

    @Test
    void aForeignKeyOnATableFromAnEarlierMigrationIsJudgedByTheReplayedIndexes() {
        String create = "create table notes (id bigint primary key, user_id bigint);";
        String fk = "alter table notes add constraint notes_user_fk foreign key (user_id) references users (id) not valid;";
        assertThat(LintCase.of(create).then(fk).ids()).contains("fk-without-index");
        assertThat(LintCase.of(create + "\ncreate index notes_user_idx on notes (user_id);").then(fk).ids())
                .doesNotContain("fk-without-index");
        assertThat(LintCase.of(fk).ids()).as("a table never seen: its indexes are unknown").doesNotContain("fk-without-index");
    }

    @Test
    void fileLevelHazardsAreReportedOncePerFile() {
        assertThat(LintCase.of("create index a on t (x);\ncreate index b on t (y);").ids())
                .containsExactly("create-index-non-concurrent", "missing-statement-timeout", "create-index-non-concurrent");
    }

    @Test
    void syntaxErrorsAndUnknownStatementsAreFindingsNotCrashes() {
        assertThat(LintCase.of("select 'unterminated;").findings()).singleElement()
                .satisfies(f -> assertThat(f.ruleId()).isEqualTo(Linter.SYNTAX_ERROR));
        assertThat(LintCase.of("frobnicate the database;").ids()).containsExactly(Linter.UNKNOWN_STATEMENT);
        assertThat(LintCase.of("select 1;\nselect frob(1;").findings()).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo(Linter.SYNTAX_ERROR);
            assertThat(f.message()).isEqualTo("unbalanced parenthesis at line 2, column 12");
        });
    }
}
