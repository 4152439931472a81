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

/** verify finds what the runbooks look for after a migration, on real leftovers. */
class VerifyTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(VerifyTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void reset() {
        db.resetSchemas();
    }

    @Test
    void leftoversAreEachNamedAndACleanDatabasePasses() {
        MigrationsDir files = new MigrationsDir(dir)
                .pair("0001_shop", "create table users (id serial primary key, email text);"
                        + " create table orders (id serial primary key, user_id int, total int);", "drop table orders, users;");
        files.write("0001_shop.verify.sql", "select count(*) = 0 from orders where total < 0");
        assertThat(Cli.against(db.jdbcUrl(), dir, "up").exit()).isEqualTo(ExitCode.DONE);
        assertThat(Cli.against(db.jdbcUrl(), dir, "verify").out()).contains("verified: checked invalid indexes");

        db.execute("insert into users (email) values ('a'), ('a'); insert into orders (user_id, total) values (1, 5), (99, -1)");
        try {
            db.execute("create unique index concurrently users_email_key on users (email)");
        } catch (IllegalStateException expected) {
            // The duplicate leaves the index INVALID, as a failed concurrent build does.
        }
        db.execute("alter table orders add constraint orders_user_fk foreign key (user_id) references users not valid;"
                + " alter table orders add constraint orders_total_check check (total >= 0) not valid;"
                + " insert into users (id, email) values (50, 'b')");

        Cli.Outcome out = Cli.against(db.jdbcUrl(), dir, "verify");

        assertThat(out.exit()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(out.out()).contains("invalid index: index public.users_email_key is INVALID")
                .contains("constraint public.orders.orders_user_fk is NOT VALID")
                .contains("foreign key orphans: 1 row of public.orders reference nothing")
                .contains("check violated: 1 row of public.orders fail the check")
                .contains("sequence behind: sequence users_id_seq is behind max(id) of users")
                .contains("verify script: returned rows (first: f)")
                .contains("object unexpected: index public.users_email_key (CREATE UNIQUE INDEX users_email_key ON public.users"
                        + " USING btree (email) (INVALID)) exists but no applied migration creates it")
                .contains("10 problems");
        assertThat(Cli.against(db.jdbcUrl(), dir, "--format", "json", "verify").out()).contains("\"kind\" : \"SEQUENCE_BEHIND\"");
    }

    @Test
    void aDomainCheckLeftNotValidNamesTheRowsOfEachColumnThatFailIt() {
        new MigrationsDir(dir).pair("0001_scores", "create domain points as int;\n"
                + "create table scores (id int primary key, home points, away points);", "drop table scores; drop domain points;");
        assertThat(Cli.against(db.jdbcUrl(), dir, "up").exit()).isEqualTo(ExitCode.DONE);
        db.execute("insert into scores values (1, -1, 2), (2, -3, -4), (3, null, 0);"
                + " alter domain points add constraint points_nonnegative check (value >= 0) not valid");

        Cli.Outcome out = Cli.against(db.jdbcUrl(), dir, "verify");

        assertThat(out.exit()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(out.out()).contains("unvalidated constraint: domain constraint public.points.points_nonnegative is NOT VALID"
                        + " (CHECK ((VALUE >= 0))); ALTER DOMAIN public.points VALIDATE CONSTRAINT points_nonnegative would fail now")
                .contains("check violated: 2 rows of scores fail the check of domain public.points in column home")
                .contains("check violated: 1 row of scores fail the check of domain public.points in column away");
    }
}
