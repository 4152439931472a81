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

/** Every kind of bad input: a one-line error naming the culprit, the documented exit code, and an untouched database. */
class BadInputTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;
    MigrationsDir files;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(BadInputTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void reset() {
        db.execute("drop schema if exists reverso cascade; drop table if exists a");
        files = new MigrationsDir(dir).pair("0001_a", "create table a (id int);", "drop table a;");
    }

    private Cli.Outcome up(String... options) {
        String[] command = java.util.Arrays.copyOf(options, options.length + 1);
        command[options.length] = "up";
        return Cli.against(db.jdbcUrl(), dir, command);
    }

    private void assertUntouched() {
        assertThat(db.value("select count(*) from pg_namespace where nspname = 'reverso'")).as("reverso schema").isEqualTo("0");
        assertThat(db.tableExists("a")).isFalse();
    }

    private static void assertOneLine(Cli.Outcome o, int exit, String... fragments) {
        assertThat(o.exit()).as(o.err()).isEqualTo(exit);
        assertThat(o.err().strip()).doesNotContain("\n").startsWith("reverso: ").contains(fragments);
    }

    @Test
    void malformedFileName() {
        files.write("0002-b.up.sql", "create table b (id int);");
        Cli.Outcome o = up();
        assertOneLine(o, 2, "0002-b.up.sql", "malformed migration file name");
        assertUntouched();
    }

    @Test
    void duplicateVersionNamesBothFiles() {
        files.write("V1__other.sql", "create table other (id int);");
        Cli.Outcome o = up();
        assertOneLine(o, 2, "version 1 is claimed by both", "0001_a.up.sql", "V1__other.sql");
        assertUntouched();
    }

    @Test
    void unreadableFiles() throws Exception {
        // Root can read any file, so the unreadable cases are a file that is not UTF-8 and a dangling link.
        Files.write(dir.resolve("0002_latin1.up.sql"), new byte[] {'s', 'e', 'l', 'e', 'c', 't', ' ', '\'', (byte) 0xe9, '\''});
        assertOneLine(up(), 2, "0002_latin1.up.sql", "not valid UTF-8");
        Files.delete(dir.resolve("0002_latin1.up.sql"));
        Files.createSymbolicLink(dir.resolve("0003_gone.up.sql"), dir.resolve("nowhere.sql"));
        assertOneLine(up(), 2, "0003_gone.up.sql", "cannot read");
        assertUntouched();
    }

    @Test
    void unterminatedStringNamesFileAndLine() {
        files.write("0002_b.up.sql", "create table b (id int);\nselect 'oops;\n");
        assertOneLine(up(), 2, "0002_b.up.sql", "line 2");
        assertUntouched();
    }

    @Test
    void missingFolder() {
        Cli.Outcome o = Cli.run("--url", db.jdbcUrl(), "--dir", dir.resolve("nope").toString(), "up");
        assertOneLine(o, 2, "migrations folder", "nope", "does not exist");
        assertUntouched();
    }

    @Test
    void unknownOption() {
        assertOneLine(up("--frobnicate"), 2, "Unknown option: '--frobnicate'");
        assertUntouched();
    }

    @Test
    void badDuration() {
        assertOneLine(up("--lock-timeout", "soon"), 2, "'soon' is not a duration");
    }

    @Test
    void noUrlAtAllSaysHowToGiveOne() {
        // The test JVM may have REVERSO_URL or DATABASE_URL set, so only check the message when it has neither.
        if (System.getenv("REVERSO_URL") == null && System.getenv("DATABASE_URL") == null) {
            assertOneLine(Cli.run("--dir", dir.toString(), "status"), 2, "no database given", "--url", "REVERSO_URL", "reverso demo");
        }
    }

    @Test
    void notAPostgresUrl() {
        assertOneLine(Cli.run("--url", "mysql://root@localhost/db", "--dir", dir.toString(), "up"), 2,
                "'mysql://root@localhost/db' is not a PostgreSQL URL");
    }

    @Test
    void unreachableServer() {
        Cli.Outcome o = Cli.run("--url", "postgres://postgres@127.0.0.1:1/postgres", "--dir", dir.toString(), "up");
        assertOneLine(o, 3, "cannot connect to jdbc:postgresql://127.0.0.1:1/postgres", "connection refused");
    }

    @Test
    void missingDatabase() {
        Cli.Outcome o = Cli.run("--url", ScratchDatabase.server().withDatabase("no_such_db_here").jdbcUrl()
                + (ScratchDatabase.server().jdbcUrl().contains("?") ? "" : "?user=postgres"), "--dir", dir.toString(), "up");
        assertOneLine(o, 3, "database does not exist", "no_such_db_here");
    }

    @Test
    void passwordIsHiddenInErrors() {
        Cli.Outcome o = Cli.run("--url", "postgres://app:s3cret@127.0.0.1:1/db", "--dir", dir.toString(), "up");
        assertThat(o.err()).doesNotContain("s3cret");
        assertThat(o.exit()).isEqualTo(3);
    }

    @Test
    void jsonFormatReportsTheErrorOnStdoutToo() {
        files.write("0002-b.up.sql", "x");
        Cli.Outcome o = up("--format", "json");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.out()).contains("\"kind\" : \"BAD_INPUT\"").contains("\"exit\" : 2");
    }
}
