package dev.reverso.cli;

import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

import static org.assertj.core.api.Assertions.assertThat;

/** The rollback plan's verdicts, the refusal to lose data, and the archive's list and purge, as a user runs them. */
class ArchiveCommandTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(ArchiveCommandTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @Test
    void aDestructiveMigrationIsPlannedRefusedAndRolledBackWithItsData() throws Exception {
        db.execute("create table users (id int primary key, email text, nick text)");
        db.execute("insert into users select g, 'u' || g || '@x', 'n' || g from generate_series(1, 1000) g");
        new MigrationsDir(dir)
                .pair("0001_drop_nick", "alter table users drop column nick;", "alter table users add column nick text;")
                .pair("0002_phone", "alter table users add column phone text;", "alter table users drop column phone;");
        Cli.Outcome up = Cli.against(db.jdbcUrl(), dir, "--format", "json", "up");
        assertThat(up.exit()).isEqualTo(ExitCode.DONE);
        assertThat(up.out()).containsPattern("\"archive\" : \\[ \"step 1: column public.users.nick, 1000 rows in reverso_archive.v1_users_nick_\\d+\" \\]");

        Cli.Outcome list = Cli.against(db.jdbcUrl(), dir, "archive", "list");
        assertThat(list.out()).contains("public.users.nick").contains("1000").contains("column");

        Cli.Outcome plan = Cli.against(db.jdbcUrl(), dir, "down", "--plan", "--all");
        assertThat(plan.exit()).isEqualTo(ExitCode.DONE);
        assertThat(plan.out()).contains("1000 values of public.users.nick come back from the archive")
                .contains("verdict: safe with restore");

        try (Connection app = DriverManager.getConnection(db.jdbcUrl(), "postgres", "")) {
            app.createStatement().execute("update users set phone = '555-0100' where id <= 5");
        }
        Cli.Outcome lossy = awaitLoss();
        assertThat(lossy.exit()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(lossy.out()).contains("loss: 5 rows written to public.users since it was applied; the rollback drops column"
                + " users.phone").contains("verdict: data written since would be lost; roll back anyway with --accept-loss");

        Cli.Outcome refused = Cli.against(db.jdbcUrl(), dir, "down");
        assertThat(refused.exit()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(refused.err()).contains("rolling back 2_phone would lose data").contains("nothing was rolled back");
        assertThat(db.value("select count(phone) from users")).isEqualTo("5");

        assertThat(Cli.against(db.jdbcUrl(), dir, "down", "--accept-loss").exit()).isEqualTo(ExitCode.DONE);
        Cli.Outcome back = Cli.against(db.jdbcUrl(), dir, "--format", "json", "down");
        assertThat(back.exit()).isEqualTo(ExitCode.DONE);
        assertThat(back.out()).contains("\"archive\" : [ \"1 step 1: restored 1000 values of public.users.nick\" ]");
        assertThat(db.value("select count(*) from users where nick = 'n' || id")).isEqualTo("1000");

        Cli.Outcome json = Cli.against(db.jdbcUrl(), dir, "--format", "json", "archive", "list");
        assertThat(json.out()).contains("\"kind\" : \"COLUMN\"").contains("\"restoredAt\"");
        Cli.Outcome purge = Cli.against(db.jdbcUrl(), dir, "archive", "purge", "--migration", "1");
        assertThat(purge.out()).contains("purged 1 archive entry (1000 rows)");
        assertThat(db.value("select count(*) from pg_tables where schemaname = 'reverso_archive'")).isEqualTo("0");
        assertThat(Cli.against(db.jdbcUrl(), dir, "archive", "purge").exit()).isEqualTo(ExitCode.BAD_INPUT);
    }

    /** The other session's writes reach the statistics when it disconnects; give the server a moment. */
    private Cli.Outcome awaitLoss() throws InterruptedException {
        Cli.Outcome out = Cli.against(db.jdbcUrl(), dir, "down", "--plan");
        for (int i = 0; i < 50 && out.exit() == ExitCode.DONE; i++) {
            Thread.sleep(100);
            out = Cli.against(db.jdbcUrl(), dir, "down", "--plan");
        }
        return out;
    }
}
