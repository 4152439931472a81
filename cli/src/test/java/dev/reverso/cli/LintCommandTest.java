package dev.reverso.cli;

import dev.reverso.testing.MigrationsDir;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** lint needs no database: findings, exit codes and the four formats. */
class LintCommandTest {

    @TempDir
    Path dir;

    @BeforeEach
    void write() {
        new MigrationsDir(dir)
                .pair("0001_users", "create table users (id bigint primary key, email text);\ncreate index users_email_idx on users (email);",
                        "drop table users;")
                .pair("0002_index", "create index users_email2_idx on users (email);", "drop index users_email2_idx;");
    }

    @Test
    void textNamesTheRuleTheLockAndTheFixAndExitsOne() {
        Cli.Outcome o = Cli.run("--dir", dir.toString(), "lint");

        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.out()).contains("0002_index.up.sql:1:1  warning  create-index-non-concurrent")
                .contains("lock:      SHARE (blocks writes)")
                .contains("fix:       create index concurrently users_email2_idx on users (email);")
                .doesNotContain("0001_users.up.sql:2");
    }

    @Test
    void failOnErrorLetsWarningsPass() {
        assertThat(Cli.run("--dir", dir.toString(), "lint", "--fail-on", "error").exit()).isZero();
        assertThat(Cli.run("--dir", dir.toString(), "lint", "--disable", "create-index-non-concurrent").exit()).isZero();
        assertThat(Cli.run("--dir", dir.toString(), "lint", "--disable", "no-such-rule").err())
                .contains("unknown rule 'no-such-rule'");
    }

    @Test
    void machineFormats() {
        assertThat(Cli.run("--dir", dir.toString(), "--format", "json", "lint").out())
                .contains("\"ruleId\" : \"create-index-non-concurrent\"").contains("\"lock\" : \"SHARE\"");
        assertThat(Cli.run("--dir", dir.toString(), "--format", "sarif", "lint").out())
                .contains("\"version\" : \"2.1.0\"").contains("\"level\" : \"warning\"").contains("\"startLine\" : 1");
        assertThat(Cli.run("--dir", dir.toString(), "--format", "github", "lint").out())
                .containsPattern("::warning file=.*0002_index.up.sql,line=1,col=1,title=reverso create-index-non-concurrent::");
    }

    @Test
    void connectedModeJudgesByTheLiveTableAndTheServerVersion() {
        dev.reverso.testing.ScratchDatabase db = dev.reverso.testing.ScratchDatabase.create(LintCommandTest.class);
        try {
            db.execute("create table users (id bigint primary key, email text);"
                    + " insert into users select g, 'u' || g from generate_series(1, 2000) g; analyze users");
            Cli.Outcome small = Cli.run("--url", db.jdbcUrl(), "lint", dir.resolve("0002_index.up.sql").toString());
            assertThat(small.exit()).as(small.err()).isZero();
            assertThat(small.out()).contains("info  create-index-non-concurrent")
                    .containsPattern("table: +users: \\d+ kB, ~2,000 rows; SHARE held for under a second at ~100 MB/s"
                            + " \\(below the big-table threshold of 100,000 rows: lowered to info\\)");
            Cli.Outcome big = Cli.run("--url", db.jdbcUrl(), "lint", "--big-table-rows", "1000",
                    dir.resolve("0002_index.up.sql").toString());
            assertThat(big.exit()).isEqualTo(1);
            assertThat(big.out()).contains("warning  create-index-non-concurrent");
            assertThat(db.value("select count(*) from pg_namespace where nspname = 'reverso'")).as("lint writes nothing").isEqualTo("0");
        } finally {
            db.close();
        }
    }

    @Test
    void connectedModeKnowsTheLiveColumnTypes() throws Exception {
        dev.reverso.testing.ScratchDatabase db = dev.reverso.testing.ScratchDatabase.create(LintCommandTest.class);
        try {
            db.execute("create table accounts (id bigint primary key, email varchar(50))");
            java.nio.file.Path file = dir.resolve("0003_email_text.up.sql");
            java.nio.file.Files.writeString(file, "alter table accounts alter column email type text;");

            // Offline the old type is unknown, so the rule assumes a rewrite; the live schema says varchar(50) to text is free.
            assertThat(Cli.run("lint", file.toString()).out()).contains("change-column-type-rewrite");
            Cli.Outcome connected = Cli.run("--url", db.jdbcUrl(), "lint", file.toString());
            assertThat(connected.out()).as(connected.err()).doesNotContain("change-column-type-rewrite");
        } finally {
            db.close();
        }
    }

    @Test
    void lintsGivenFilesAndSaysWhichIsMissing() {
        Cli.Outcome o = Cli.run("lint", dir.resolve("0002_index.up.sql").toString(), dir.resolve("nope.sql").toString());
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("nope.sql: no such file or folder");
    }
}
