package dev.reverso.cli;

import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A bug in Reverso is one line with the documented exit code, never a stack trace. */
class InternalErrorTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(InternalErrorTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @Test
    void aRuntimeExceptionDuringDownIsOneLineWithTheExitCodeOfAFailedRun() {
        db.execute("drop schema if exists reverso cascade; drop schema if exists reverso_archive cascade; drop table if exists t");
        db.execute("create table t (id int primary key, a int); insert into t values (1, 1)");
        new MigrationsDir(dir).pair("0001_drop_a", "alter table t drop column a;", "alter table t add column a int;");
        assertThat(Cli.against(db.jdbcUrl(), dir, "up").exit()).isEqualTo(ExitCode.DONE);
        // An archive entry Reverso cannot read (written by a later version, or by hand) makes the
        // code that reads it throw.
        db.execute("update reverso.archives set kind = 'garbled'");

        Cli.Outcome text = Cli.against(db.jdbcUrl(), dir, "down");
        assertThat(text.exit()).isEqualTo(ExitCode.MIGRATION_FAILED);
        assertThat(text.err()).doesNotContain("\tat ").doesNotContain("Exception in thread");
        assertThat(text.err().lines().filter(l -> l.startsWith("reverso: "))).singleElement().asString()
                .contains("internal error in Reverso during down: java.lang.IllegalArgumentException");

        Cli.Outcome json = Cli.against(db.jdbcUrl(), dir, "--format", "json", "down");
        assertThat(json.exit()).isEqualTo(ExitCode.MIGRATION_FAILED);
        assertThat(json.out()).contains("\"error\" : \"internal error in Reverso during down").contains("\"exit\" : 5");

        Cli.Outcome list = Cli.against(db.jdbcUrl(), dir, "archive", "list");
        assertThat(list.exit()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(list.err()).doesNotContain("\tat ").contains("reverso: internal error in Reverso during archive list");
        assertThat(db.value("select state from reverso.migrations")).isEqualTo("applied");
    }
}
