package dev.reverso;

import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Preflight asks the server whether the connected role may run the pending statements, as a real unprivileged role. */
class PrivilegesTest {

    static ScratchDatabase db;
    static String app;
    static String owners;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabaseAndRoles() {
        db = ScratchDatabase.create(PrivilegesTest.class);
        String suffix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36).toLowerCase(Locale.ROOT);
        app = "reverso_app_" + suffix;
        owners = "reverso_owners_" + suffix;
        db.execute("create role " + app + " login; create role " + owners + " nologin;"
                + " create table accounts (id int primary key, balance int); create table legacy (id int);"
                + " create table audit_log (id int, account_id int)");
    }

    @AfterAll
    static void dropDatabaseAndRoles() {
        db.close();
        // Roles belong to the cluster: dropped once the database that held their grants is gone.
        try (var c = new Database(ScratchDatabase.server(), "reverso-test").connect(); var st = c.createStatement()) {
            st.execute("drop role if exists " + app);
            st.execute("drop role if exists " + owners);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Reverso as(String role) {
        // Trust authentication on 127.0.0.1: any role connects by name.
        String url = db.url().jdbcUrl().replaceFirst("([?&])user=[^&]*&?", "$1").replaceFirst("[?&]$", "");
        return Reverso.with(ReversoConfig.of(new DatabaseUrl(url, role, null), dir));
    }

    private static List<String> failed(PreflightReport report) {
        return report.items().stream().filter(i -> i.status() == PreflightReport.Status.FAIL).map(PreflightReport.Item::detail).toList();
    }

    @Test
    void eachStatementNamesThePrivilegeItNeedsUntilTheRoleHasIt() {
        db.execute("drop schema if exists reverso cascade");
        new MigrationsDir(dir)
                .pair("0001_note", "alter table accounts add column note text;\ncreate index accounts_note_idx on accounts (note);",
                        "alter table accounts drop column note;")
                .pair("0002_reports", "create schema reports;\ncreate table reports.daily (day date);\ncreate table summary (n int);\n"
                        + "drop table legacy;\ninsert into audit_log (account_id) select id from accounts;", "drop schema reports cascade;");

        PreflightReport report = as(app).preflight(Optional.empty());

        assertThat(report.failed()).isTrue();
        assertThat(report.items().get(1).detail()).isEqualTo("connected to " + db.name() + " as " + app);
        assertThat(failed(report)).containsExactly(
                "schema reverso does not exist and the role may not create it: it needs CREATE on the database (GRANT CREATE ON"
                        + " DATABASE), or create the schema for it",
                "0001_note.up.sql line 1 (ALTER TABLE) needs to own accounts (owner postgres); " + app + " is neither its owner nor a"
                        + " member of postgres (ALTER ... OWNER TO, or GRANT postgres TO the role)",
                "0002_reports.up.sql line 1 (CREATE SCHEMA) needs CREATE on the database; " + app
                        + " does not have it (GRANT CREATE ON DATABASE)",
                "0002_reports.up.sql line 3 (CREATE TABLE) needs CREATE on schema public; " + app
                        + " does not have it (GRANT CREATE ON SCHEMA public)",
                "0002_reports.up.sql line 4 (DROP TABLE) needs to own legacy (owner postgres); " + app + " is neither its owner nor a"
                        + " member of postgres (ALTER ... OWNER TO, or GRANT postgres TO the role)",
                "0002_reports.up.sql line 5 (INSERT) needs INSERT on audit_log; " + app + " does not have it (GRANT INSERT ON audit_log)",
                "0002_reports.up.sql line 5 (INSERT) needs SELECT on accounts; " + app + " does not have it (GRANT SELECT ON accounts)");

        // Ownership through membership in the owning role, and the grants the other statements need.
        db.execute("alter table accounts owner to " + owners + "; alter table legacy owner to " + owners + "; grant " + owners
                + " to " + app + "; grant create on database " + db.name() + " to " + app + "; grant create on schema public to "
                + app + "; grant insert on audit_log to " + app);

        PreflightReport granted = as(app).preflight(Optional.empty());

        assertThat(failed(granted)).isEmpty();
        assertThat(granted.items()).extracting(PreflightReport.Item::detail).contains(app + " may run the 7 pending statements"
                + " (ownership, table privileges, CREATE on schemas and database)");
    }

    @Test
    void verifySaysWhyItCouldNotCompareTheSchemaWhenTheRoleMayNotCreateADatabase() {
        new MigrationsDir(dir).pair("0001_t", "create table t (id int);", "drop table t;");
        as("postgres").up(Optional.empty());
        db.execute("grant usage on schema reverso to " + app + "; grant select on all tables in schema reverso to " + app);

        VerifyReport report = as(app).verify();

        assertThat(report.skipped()).containsExactly("the schema against the applied migrations: role " + app
                + " may not create the scratch database to replay the migrations in (it needs CREATEDB)");
        assertThat(as("postgres").verify().skipped()).isEmpty();
    }
}
