package dev.reverso.release;

import dev.reverso.CheckedRun;
import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;
import dev.reverso.ReversoException;
import dev.reverso.RunChecks;
import dev.reverso.RunResult;
import dev.reverso.history.AuditEntry;
import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Staging and production as two databases on the test server: production only takes what staging has applied. */
class EnvironmentGateTest {

    static ScratchDatabase staging;
    static ScratchDatabase production;

    @TempDir
    Path dir;
    MigrationsDir files;

    @BeforeAll
    static void createDatabases() {
        staging = ScratchDatabase.create(EnvironmentGateTest.class);
        production = ScratchDatabase.create(EnvironmentGateTest.class);
    }

    @AfterAll
    static void dropDatabases() {
        staging.close();
        production.close();
    }

    @BeforeEach
    void reset() {
        staging.resetSchemas();
        production.resetSchemas();
        files = new MigrationsDir(dir);
        files.pair("0001_accounts", "create table accounts (id int primary key);", "drop table accounts;");
        files.pair("0002_note", "alter table accounts add column note text;", "alter table accounts drop column note;");
    }

    private Environments environments(Duration soak) {
        // production's URL comes from a variable, as a committed reverso.yaml would have it
        return new Environments(List.of(new Environment("staging", staging.jdbcUrl(), null, null),
                new Environment("production", null, "PROD_URL", null)), soak, Map.of("PROD_URL", production.jdbcUrl()));
    }

    private static Reverso reverso(ScratchDatabase db, Path dir) {
        return Reverso.with(ReversoConfig.of(db.url(), dir));
    }

    private CheckedRun<RunResult> upIn(ScratchDatabase db, String env, Environments environments) {
        return reverso(db, dir).up(Optional.empty(), Optional.empty(), RunChecks.none(),
                Release.defaults().withEnvironments(environments).forEnvironment(env));
    }

    @Test
    void productionRefusesWhatStagingHasNotAppliedAndChangesNothing() {
        reverso(staging, dir).up(Optional.of(dev.reverso.source.Version.parse("0001")));

        assertThatThrownBy(() -> upIn(production, "production", environments(Duration.ZERO)))
                .isInstanceOfSatisfying(ReversoException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ReversoException.Kind.CHECK_FAILED);
                    assertThat(e.getMessage()).contains("environment gate refused the run in production; nothing was changed")
                            .contains("2_note: staging has not applied it").doesNotContain("1_accounts");
                });
        assertThat(production.tableExists("accounts")).isFalse();
        AuditEntry audit = reverso(production, dir).history(1).get(0);
        assertThat(audit.action()).isEqualTo("environment gate");
        assertThat(audit.outcome()).isEqualTo("refused");
        assertThat(audit.detail()).contains("2_note: staging has not applied it");
    }

    @Test
    void productionPassesWhenStagingAppliedEverythingAndTheFirstEnvironmentNeedsNoPredecessor() {
        upIn(staging, "staging", environments(Duration.ZERO));
        assertThat(staging.tableExists("accounts")).isTrue();

        CheckedRun<RunResult> run = upIn(production, "production", environments(Duration.ZERO));

        assertThat(run.result().migrations()).hasSize(2);
        assertThat(reverso(production, dir).history(10)).filteredOn(a -> a.action().equals("environment gate"))
                .singleElement().satisfies(a -> assertThat(a.outcome()).isEqualTo("passed"));
        assertThat(reverso(staging, dir).history(10)).filteredOn(a -> a.action().equals("environment gate"))
                .singleElement().satisfies(a -> assertThat(a.detail()).contains("the first environment"));
    }

    @Test
    void productionRefusesAMigrationStagingAppliedWithAnotherChecksum() {
        reverso(staging, dir).up(Optional.empty());
        files.pair("0002_note", "alter table accounts add column note varchar(10);", "alter table accounts drop column note;");

        assertThatThrownBy(() -> upIn(production, "production", environments(Duration.ZERO)))
                .hasMessageContaining("2_note: staging applied it with another checksum")
                .message().doesNotContain("1_accounts");
        assertThat(production.tableExists("accounts")).isFalse();
    }

    @Test
    void productionRefusesWithinTheSoakAndPassesAfterIt() {
        reverso(staging, dir).up(Optional.empty());

        assertThatThrownBy(() -> upIn(production, "production", environments(Duration.ofHours(24))))
                .hasMessageContaining("1_accounts: staging applied it 0s ago, less than the soak of 24h")
                .hasMessageContaining("2_note: staging applied it");

        staging.execute("update reverso.migrations set finished_at = now() - interval '25 hours'");
        upIn(production, "production", environments(Duration.ofHours(24)));
        assertThat(production.tableExists("accounts")).isTrue();
    }

    @Test
    void anUnreachablePreviousEnvironmentIsARefusal() {
        Environments gone = new Environments(List.of(new Environment("staging",
                staging.jdbcUrl().replace(staging.name(), "reverso_no_such_db"), null, null),
                new Environment("production", production.jdbcUrl(), null, null)), Duration.ZERO, Map.of());

        assertThatThrownBy(() -> upIn(production, "production", gone))
                .hasMessageContaining("staging is unreachable").hasMessageContaining("database does not exist");
        assertThat(production.tableExists("accounts")).isFalse();
    }

    @Test
    void statusAcrossEnvironmentsShowsEveryMigrationInEveryEnvironment() {
        reverso(staging, dir).up(Optional.empty());
        reverso(staging, dir).down(new dev.reverso.DownTarget.Count(1));
        reverso(production, dir).up(Optional.of(dev.reverso.source.Version.parse("0001")));
        Environments three = new Environments(List.of(new Environment("ci", "postgres://127.0.0.1:1/none", null, null),
                new Environment("staging", staging.jdbcUrl(), null, null),
                new Environment("production", production.jdbcUrl(), null, null)), Duration.ZERO, Map.of());

        EnvironmentMatrix matrix = reverso(production, dir).environments(three);

        assertThat(matrix.environments()).containsExactly("ci", "staging", "production");
        assertThat(matrix.unreachable()).containsOnlyKeys("ci");
        assertThat(matrix.rows()).extracting(EnvironmentMatrix.Row::version).containsExactly("1", "2");
        EnvironmentMatrix.Row first = matrix.rows().get(0);
        assertThat(first.cells().get("ci").state()).isEqualTo(EnvironmentMatrix.State.UNREACHABLE);
        assertThat(first.cells().get("staging").state()).isEqualTo(EnvironmentMatrix.State.APPLIED);
        assertThat(first.cells().get("staging").at()).isNotNull();
        assertThat(first.cells().get("production").state()).isEqualTo(EnvironmentMatrix.State.APPLIED);
        EnvironmentMatrix.Row second = matrix.rows().get(1);
        assertThat(second.cells().get("staging").state()).isEqualTo(EnvironmentMatrix.State.ROLLED_BACK);
        assertThat(second.cells().get("production").state()).isEqualTo(EnvironmentMatrix.State.PENDING);

        files.pair("0001_accounts", "create table accounts (id bigint primary key);", "drop table accounts;");
        assertThat(reverso(production, dir).environments(three).rows().get(0).cells().values())
                .extracting(EnvironmentMatrix.Cell::state).containsExactly(EnvironmentMatrix.State.UNREACHABLE,
                        EnvironmentMatrix.State.CHECKSUM_DIFFERS, EnvironmentMatrix.State.CHECKSUM_DIFFERS);
    }

    @Test
    void anUnknownEnvironmentIsBadInput() {
        assertThatThrownBy(() -> upIn(production, "prod", environments(Duration.ZERO)))
                .isInstanceOfSatisfying(ReversoException.class, e -> assertThat(e.kind()).isEqualTo(ReversoException.Kind.BAD_INPUT))
                .hasMessage("--env prod: no such environment (reverso.yaml lists: staging, production)");
    }

}
