package dev.reverso.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wrong password, against a real server that asks for one: the test machines' own server
 * trusts every local connection, so this class starts zonky's embedded PostgreSQL with
 * scram-sha-256 for one role.
 */
class WrongPasswordTest {

    static EmbeddedPostgres pg;

    @BeforeAll
    static void start(@TempDir Path data) throws Exception {
        pg = EmbeddedPostgres.builder().setDataDirectory(data.resolve("pg")).setCleanDataDirectory(true)
                .setOutputRedirector(ProcessBuilder.Redirect.DISCARD).setErrorRedirector(ProcessBuilder.Redirect.DISCARD).start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("create role app login password 'right-one'");
            Files.writeString(data.resolve("pg/pg_hba.conf"), "local all all trust\n"
                    + "host all app 127.0.0.1/32 scram-sha-256\n"
                    + "host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n");
            st.execute("select pg_reload_conf()");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    @Test
    void wrongPasswordIsRefusedWithExit3AndTheUrlWithoutThePassword(@TempDir Path dir) {
        String url = "postgres://app:wrong-one@127.0.0.1:" + pg.getPort() + "/postgres";
        Cli.Outcome o = Cli.run("--url", url, "--dir", dir.toString(), "status");

        assertThat(o.exit()).isEqualTo(3);
        assertThat(o.err().strip()).isEqualTo("reverso: password authentication failed for jdbc:postgresql://127.0.0.1:"
                + pg.getPort() + "/postgres (user app)");
    }

    @Test
    void rightPasswordWorks(@TempDir Path dir) {
        String url = "postgres://app:right-one@127.0.0.1:" + pg.getPort() + "/postgres";
        Cli.Outcome o = Cli.run("--url", url, "--dir", dir.toString(), "status");

        // app may not create schema reverso in database postgres: that refusal is exit 3 as well, but a different message.
        assertThat(o.err()).doesNotContain("password authentication failed");
    }
}
