package dev.reverso.cli;

import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** preflight on real situations: a session holding a lock in an open transaction, an idle transaction. */
class PreflightTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(PreflightTest.class);
        db.execute("create table accounts (id int primary key, balance int); insert into accounts select g, 0 from generate_series(1, 1000) g");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @Test
    void aSessionHoldingALockOnATouchedTableFailsAndOneIdleInTransactionWarns() throws Exception {
        new MigrationsDir(dir).write("0001_note.up.sql", "alter table accounts add column note text;");
        Cli.Outcome clean = Cli.against(db.jdbcUrl(), dir, "preflight");
        assertThat(clean.exit()).as(clean.out()).isEqualTo(ExitCode.DONE);
        assertThat(clean.out()).contains("no session holds a lock the pending statements need")
                .contains("missing down").contains("table size           accounts: ").contains("no streaming replica connected");

        try (Connection report = db.connect(); Statement st = report.createStatement()) {
            report.setAutoCommit(false);
            st.execute("set application_name = 'monthly-report'");
            st.execute("select count(*) from accounts");
            // The report's transaction stays open and idle, holding ACCESS SHARE on accounts.
            Cli.Outcome out = Cli.against(db.jdbcUrl(), dir, "preflight");
            assertThat(out.exit()).isEqualTo(ExitCode.CHECK_FAILED);
            assertThat(out.out()).contains("FAIL").contains("application 'monthly-report'")
                    .contains("holds a lock that 0001_note.up.sql line 1 (ALTER TABLE) would wait for")
                    .contains("idle in an open transaction");
            report.rollback();
        }
    }
}
