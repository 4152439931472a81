package dev.reverso.cli;

import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** up --env, status --all-envs, plan's risk levels and up's gates, as a user sees them. */
class ReleaseCommandTest {

    static ScratchDatabase staging;
    static ScratchDatabase production;

    @TempDir
    Path dir;
    Path config;
    MigrationsDir files;

    @BeforeAll
    static void createDatabases() {
        staging = ScratchDatabase.create(ReleaseCommandTest.class);
        production = ScratchDatabase.create(ReleaseCommandTest.class);
    }

    @AfterAll
    static void dropDatabases() {
        staging.close();
        production.close();
    }

    @BeforeEach
    void reset() throws Exception {
        for (ScratchDatabase db : new ScratchDatabase[] {staging, production}) {
            db.resetSchemas();
            db.execute("drop schema if exists reverso_archive cascade");
        }
        Path migrations = Files.createDirectories(dir.resolve("migrations"));
        files = new MigrationsDir(migrations);
        files.pair("0001_accounts", "create table accounts (id int primary key, note text);", "drop table accounts;");
        files.pair("0002_drop_note", "alter table accounts drop column note;", "alter table accounts add column note text;");
        config = dir.resolve("reverso.yaml");
        Files.writeString(config, "dir: " + migrations + "\nenvironments:\n"
                + "  - name: staging\n    url: " + staging.jdbcUrl() + "\n"
                + "  - name: production\n    url: " + production.jdbcUrl() + "\n");
    }

    private Cli.Outcome cli(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--config";
        all[1] = config.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return Cli.run(all);
    }

    @Test
    void upInProductionIsRefusedUntilStagingHasAppliedAndStatusShowsBoth() {
        assertThat(cli("--env", "staging", "up", "--to", "1").exit()).isZero();

        Cli.Outcome refused = cli("--env", "production", "up");

        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("reverso: the environment gate refused the run in production; nothing was changed:")
                .contains("  2_drop_note: staging has not applied it").doesNotContain("1_accounts");
        assertThat(production.tableExists("accounts")).isFalse();
        assertThat(cli("--env", "production", "history").out()).contains("environment gate").contains("refused");

        Cli.Outcome status = cli("status", "--all-envs");
        assertThat(status.exit()).isZero();
        assertThat(status.out().lines().findFirst().orElseThrow()).matches("VERSION +NAME +staging +production *");
        assertThat(status.out()).containsPattern("1 +accounts +applied \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d +pending")
                .containsPattern("2 +drop_note +pending +pending");

        assertThat(cli("--env", "staging", "up").exit()).isZero();
        Cli.Outcome passed = cli("--env", "production", "up");
        assertThat(passed.exit()).as(passed.err()).isZero();
        assertThat(production.tableExists("accounts")).isTrue();

        Cli.Outcome json = cli("--format", "json", "status", "--all-envs");
        assertThat(json.out()).contains("\"environments\" : [ \"staging\", \"production\" ]").contains("\"state\" : \"APPLIED\"");
    }

    @Test
    void planShowsEachMigrationsRiskAndUpEnforcesTheGatesTheConfigTurnsOn() throws Exception {
        assertThat(Cli.against(production.jdbcUrl(), dir.resolve("migrations"), "up", "--to", "1").exit()).isZero();

        Cli.Outcome plan = cli("--url", production.jdbcUrl(), "plan");
        assertThat(plan.out()).contains("risk high; up --env requires a snapshot (--snapshot) or archiving (no --no-archive),"
                + " a passing preflight (no --no-preflight)").contains("  high: line 1: destroys data; archives the values of ");
        Cli.Outcome json = cli("--url", production.jdbcUrl(), "--format", "json", "plan");
        assertThat(json.out()).contains("\"level\" : \"HIGH\"");

        Files.writeString(config, Files.readString(config) + "gates: {}\n");
        Cli.Outcome refused = cli("--url", production.jdbcUrl(), "up", "--no-preflight");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("2_drop_note (high risk) requires a passing preflight (no --no-preflight): not met");
        assertThat(production.value("select count(*) from information_schema.columns where table_name = 'accounts' and column_name = 'note'")).isEqualTo("1");

        Cli.Outcome critical = cli("--url", production.jdbcUrl(), "--no-archive", "up");
        assertThat(critical.exit()).isEqualTo(1);
        assertThat(critical.err()).contains("2_drop_note (critical risk) requires an approver (--approved-by NAME): not met");

        // with --no-archive the roundtrip's down would lose the column's data, so even an approved run stays refused
        Cli.Outcome lossy = cli("--url", production.jdbcUrl(), "--no-archive", "up", "--approved-by", "alice", "--snapshot",
                "--snapshot-dir", dir.resolve("snapshots").toString());
        assertThat(lossy.exit()).isEqualTo(1);
        assertThat(lossy.err()).contains("2_drop_note (critical risk) requires a roundtrip check on a scratch database: not met"
                + " (roundtrip failed at 2_drop_note: rolling back 2_drop_note would lose data");

        Cli.Outcome approved = cli("--url", production.jdbcUrl(), "up", "--approved-by", "alice");
        assertThat(approved.exit()).as(approved.err()).isZero();
        assertThat(production.value("select count(*) from information_schema.columns where table_name = 'accounts' and column_name = 'note'")).isEqualTo("0");
        assertThat(cli("--url", production.jdbcUrl(), "history").out()).containsPattern("approval +- +given +approved by alice: 2");
    }

    @Test
    void anUnknownEnvironmentIsBadInput() {
        Cli.Outcome o = cli("--env", "prod", "status");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err().strip()).isEqualTo("reverso: --env prod: no such environment (reverso.yaml lists: staging, production)");
        Cli.Outcome both = cli("--env", "staging", "--url", staging.jdbcUrl(), "status");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err().strip()).isEqualTo("reverso: give --url or --env, not both");
    }
}
