package dev.reverso.lint;

import dev.reverso.lint.rules.Rules;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Operation migrations are linted for what expand/contract does not make safe. */
class OperationLintTest {

    private final Linter linter = new Linter(Rules.all(), LintSettings.defaults());

    private List<Finding> lint(String file, String text) {
        return linter.lint(List.of(
                new Linter.Source("0001_base.up.sql", "create table users (id bigint primary key, email text, bio text);"),
                new Linter.Source(file, text))).findings().stream().filter(f -> f.file().startsWith(file)).toList();
    }

    @Test
    void aSafeExpandContractChangeHasNoFinding() {
        assertThat(lint("0002_email.json", """
                {"operations": [{"add_column": {"table": "users", "up": "'x'",
                  "column": {"name": "nick", "type": "text", "nullable": false}}},
                  {"create_index": {"name": "users_nick_idx", "table": "users", "columns": ["nick"]}}]}""")).isEmpty();
    }

    @Test
    void aBrokenDocumentIsASyntaxErrorNamingItsPath() {
        List<Finding> found = lint("0002_bad.yaml", """
                operations:
                  - drop_column: {table: users}
                """);
        assertThat(found).extracting(Finding::ruleId, Finding::severity).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Linter.SYNTAX_ERROR, Severity.ERROR));
        assertThat(found.get(0).message()).isEqualTo("$.operations[0].drop_column.column: missing");
    }

    @Test
    void dataThatCompleteDestroysIsNamed() {
        List<Finding> found = lint("0002_drop.json", """
                {"operations": [{"drop_column": {"table": "users", "column": "bio", "down": "''"}},
                  {"drop_table": {"name": "users"}}]}""");
        assertThat(found).extracting(Finding::ruleId).containsExactly("drop-column", "drop-table");
        assertThat(found.get(0).message()).contains("$.operations[0].drop_column").contains("users.bio");
    }

    @Test
    void rawSqlIsLintedAsAMigrationWithItsPath() {
        List<Finding> found = lint("0002_raw.json", """
                {"operations": [{"sql": {"up": "create index users_bio_idx on users (bio)", "down": "drop index users_bio_idx"}}]}""");
        assertThat(found).extracting(Finding::ruleId).contains("create-index-non-concurrent", "drop-index-non-concurrent");
        assertThat(found).extracting(Finding::file).contains("0002_raw.json $.operations[0].sql.up");
    }
}
