package dev.reverso.cli;

import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PlanValidateTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;
    MigrationsDir files;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(PlanValidateTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void reset() {
        db.execute("drop schema if exists reverso cascade; drop schema public cascade; create schema public;"
                + " create table users (id int primary key, email text)");
        files = new MigrationsDir(dir);
    }

    private Cli.Outcome cli(String... command) {
        return Cli.against(db.jdbcUrl(), dir, command);
    }

    @Test
    void planShowsLocksAndDryRunsWithoutChangingAnything() {
        files.pair("0001_add", "alter table users add column name text;\nupdate users set name = email;", "alter table users drop column name;")
                .pair("0002_idx", "create index concurrently users_name_idx on users (name);", "drop index concurrently users_name_idx;")
                .pair("0003_bad", "create table orders (id int);\nalter table orders add constraint fk foreign key (user_id) references users;",
                        "drop table orders;");

        Cli.Outcome plan = cli("plan");

        assertThat(plan.exit()).as("a dry-run error is a finding").isEqualTo(1);
        assertThat(plan.out())
                .containsPattern("1 +ACCESS EXCLUSIVE +reads and writes +users +alter table users add column name text")
                .containsPattern("2 +ROW EXCLUSIVE .* +users +update users set name = email")
                .contains("dry run ok (rolled back)")
                .contains("2_idx  step by step, outside a transaction")
                .contains("not executed: runs statement by statement outside a transaction, line 1 (CREATE INDEX CONCURRENTLY)")
                .contains("dry run failed: 0003_bad.up.sql:2: column \"user_id\" referenced in foreign key constraint does not exist");
        assertThat(db.value("select count(*) from information_schema.columns where table_name = 'users'")).isEqualTo("2");
        assertThat(db.tableExists("orders")).isFalse();
        assertThat(cli("--format", "json", "plan").out()).contains("\"lock\" : \"ACCESS EXCLUSIVE\"").contains("\"checked\" : \"failed\"");
    }

    @Test
    void traceRunsOnAScratchCopyAndReportsRealLocksAndRewrites() {
        db.execute("create table orders (id int primary key, user_id int references users (id))");
        files.pair("0001_widen", "alter table users alter column id type bigint;", "select 1;")
                .pair("0002_idx", "create index concurrently orders_user_idx on orders (user_id);", "select 1;");

        Cli.Outcome trace = cli("plan", "--trace");

        assertThat(trace.out()).contains("line 1: alter table users alter column id type bigint")
                .contains("predicted: ACCESS EXCLUSIVE on users")
                .containsPattern("traced: +ACCESS EXCLUSIVE on orders, ACCESS EXCLUSIVE on users; rewrote users")
                .contains("trace wins: took ACCESS EXCLUSIVE on orders, which the classifier did not name")
                .contains("2_idx  runs outside a transaction: executed on the copy, locks not observed")
                .containsPattern("traced on a scratch copy of the schema \\(reverso_trace_\\w+, now dropped\\)");
        assertThat(trace.exit()).isEqualTo(1);
        assertThat(db.value("select data_type from information_schema.columns where table_name = 'users' and column_name = 'id'"))
                .as("the target is untouched").isEqualTo("integer");
        assertThat(db.value("select count(*) from pg_database where datname like 'reverso_trace_%'")).isEqualTo("0");
        assertThat(cli("--format", "json", "plan", "--trace").out()).contains("\"rewrote\" : [ \"users\" ]");
    }

    @Test
    void runbookGivesStepsLocksDurationsRollbackAndWhatToDoOnFailure() {
        db.execute("insert into users select g, 'u' || g from generate_series(1, 5000) g; analyze users");
        files.pair("0001_name", "alter table users add column name text;", "alter table users drop column name;")
                .pair("0002_idx", "create index concurrently users_email_idx on users (email);", null);

        Cli.Outcome o = cli("plan", "--runbook");

        assertThat(o.exit()).as(o.err()).isZero();
        assertThat(o.out()).startsWith("# Migration runbook")
                .contains("## 1_name").contains("- Runs in one transaction")
                .contains("- The application must tolerate: reads and writes on users are blocked while each try waits for its lock (100 ms")
                .contains("- Rollback: reverso down --to <previous version> (runs the down SQL stored at apply time, in one transaction)")
                .containsPattern("\\| 1 \\| 1 \\| `alter table users add column name text` \\| ACCESS EXCLUSIVE on users \\| reads and writes \\| brief: catalog change only")
                .contains("## 2_idx").contains("reads and writes continue throughout")
                .containsPattern("under a second \\(users: \\d+ kB, ~5,000 rows, at ~100 MB/s\\)")
                .contains("- Rollback: no down migration: Reverso cannot roll it back")
                .contains("the invalid index a failed build leaves is dropped by Reverso");
    }

    @Test
    void validateReportsDriftMissingDownsGapsAndMissingFiles() {
        files.pair("0001_a", "create table a (id int);", "drop table a;")
                .pair("0002_b", "create table b (id int);", "drop table b;")
                .pair("0003_c", "create table c (id int);", "drop table c;");
        assertThat(cli("up").exit()).isZero();
        assertThat(cli("validate").exit()).isZero();

        files.write("0001_a.up.sql", "create table a (id bigint);")
                .delete("0003_c.up.sql").delete("0003_c.down.sql")
                .pair("0005_e", "create table e (id int);", null);

        Cli.Outcome v = cli("validate");

        assertThat(v.exit()).isEqualTo(1);
        assertThat(v.out()).contains("checksum-drift  0001_a.up.sql: changed since it was applied")
                .contains("missing-down  0005_e.up.sql: no down migration")
                .contains("gap  version 4: no migration numbered 4 between 3 and 5")
                .contains("missing-file  version 3: 3_c is applied but its file is gone");
        assertThat(cli("--format", "json", "validate").out()).contains("\"type\" : \"CHECKSUM_DRIFT\"");
    }

    @Test
    void statusAndHistoryInJson() {
        files.pair("0001_a", "create table a (id int);", "drop table a;").pair("0002_b", "create table b (id int);", "drop table b;");
        cli("up", "--to", "1");

        Cli.Outcome status = cli("--format", "json", "status");
        assertThat(status.exit()).isZero();
        assertThat(status.out()).contains("\"version\" : \"1\"").contains("\"state\" : \"APPLIED\"")
                .contains("\"state\" : \"PENDING\"").contains("\"hasDown\" : true");
        assertThat(cli("--format", "json", "history").out()).contains("\"action\" : \"apply\"").contains("\"outcome\" : \"applied\"");
        assertThat(cli("--format", "json", "up").out()).contains("\"direction\" : \"UP\"");
        assertThat(cli("--format", "json", "down", "--count", "1").out()).contains("\"direction\" : \"DOWN\"");
    }
}
