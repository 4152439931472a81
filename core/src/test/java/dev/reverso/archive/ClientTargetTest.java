package dev.reverso.archive;

import dev.reverso.DatabaseUrl;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The connection reaches pg_dump and pg_restore through their environment, password included, never their arguments. */
class ClientTargetTest {

    @Test
    void aLibpqUrlGivesEveryPartAndThePasswordGoesIntoPgpassword() {
        ClientTarget t = ClientTarget.of(DatabaseUrl.parse("postgres://app:p%40ss%3Aword@db.example:6543/shop?sslmode=require"));

        assertThat(t).isEqualTo(new ClientTarget("db.example", 6543, "shop", "app", "p@ss:word", "require"));
        Map<String, String> env = t.environment(Map.of("PGSERVICE", "elsewhere", "PGHOSTADDR", "10.0.0.9", "HOME", "/root"));
        assertThat(env).containsEntry("PGPASSWORD", "p@ss:word").containsEntry("PGHOST", "db.example").containsEntry("PGPORT", "6543")
                .containsEntry("PGDATABASE", "shop").containsEntry("PGUSER", "app").containsEntry("PGSSLMODE", "require")
                .containsEntry("HOME", "/root").doesNotContainKeys("PGSERVICE", "PGHOSTADDR");
        assertThat(t.dbnameOption()).isEqualTo("--dbname=dbname='shop'").doesNotContain("p@ss");
    }

    @Test
    void aJdbcUrlWithCredentialsInItsParametersAndAnIpv6Host() {
        ClientTarget t = ClientTarget.of(DatabaseUrl.parse("jdbc:postgresql://[::1]:5433/o'dd?user=u&password=s%26cret&ApplicationName=x"));

        assertThat(t).isEqualTo(new ClientTarget("::1", 5433, "o'dd", "u", "s&cret", null));
        assertThat(t.dbnameOption()).isEqualTo("--dbname=dbname='o\\'dd'");
    }

    @Test
    void noPortMeans5432() {
        assertThat(ClientTarget.of(DatabaseUrl.parse("jdbc:postgresql://localhost/db")).port()).isEqualTo(5432);
    }
}
