package dev.reverso.release;

import dev.reverso.CheckedRun;
import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;
import dev.reverso.ReversoException;
import dev.reverso.RunChecks;
import dev.reverso.RunResult;
import dev.reverso.archive.Archiving;
import dev.reverso.archive.PgTools;
import dev.reverso.archive.SnapshotRequest;
import dev.reverso.history.AuditEntry;
import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each pending migration's risk level with its reasons, and the gates a level requires before anything runs. */
class RiskGatesTest {

    /** accounts (1,000 rows) is big by these thresholds, tags (10 rows) small. */
    static final RiskThresholds THRESHOLDS = new RiskThresholds(500, 1L << 40, 1_000_000, 1L << 50);

    static ScratchDatabase db;

    @TempDir
    Path dir;
    @TempDir
    Path snapshots;
    MigrationsDir files;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(RiskGatesTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void reset() {
        db.resetSchemas();
        db.execute("create table accounts (id int primary key, balance int not null default 0, note text);"
                + " insert into accounts (id) select g from generate_series(1, 1000) g;"
                + " create table tags (id int primary key, label text); insert into tags select g, 't' || g from generate_series(1, 10) g;"
                + " analyze accounts; analyze tags");
        files = new MigrationsDir(dir);
    }

    private Reverso reverso(Archiving archiving) {
        return Reverso.with(ReversoConfig.of(db.url(), dir).withArchive(archiving));
    }

    private Risk only(Archiving archiving) {
        List<Risk> risks = reverso(archiving).risks(Optional.empty(), THRESHOLDS);
        assertThat(risks).hasSize(1);
        return risks.get(0);
    }

    private static List<String> reasons(Risk r) {
        return r.reasons().stream().map(Risk.Reason::text).toList();
    }

    @Test
    void anAdditiveMigrationIsLow() {
        files.pair("0001_labels", "create table labels (id bigint primary key, name text not null);", "drop table labels;");

        Risk risk = only(Archiving.BOUNDED);

        assertThat(risk.level()).isEqualTo(RiskLevel.LOW);
        assertThat(reasons(risk)).singleElement().asString().startsWith("additive only");
    }

    @Test
    void anAccessExclusiveLockOnASmallTableIsMediumOnABigOneHigh() {
        files.pair("0001_tag_color", "alter table tags add column color text;", "alter table tags drop column color;");
        Risk small = only(Archiving.BOUNDED);
        assertThat(small.level()).isEqualTo(RiskLevel.MEDIUM);
        assertThat(reasons(small)).singleElement().asString().startsWith("line 1: ACCESS EXCLUSIVE on small table tags (10 rows, ")
                .endsWith("), blocking reads and writes");

        files.delete("0001_tag_color.up.sql").delete("0001_tag_color.down.sql");
        files.pair("0001_account_color", "alter table accounts add column color text;", "alter table accounts drop column color;");
        Risk big = only(Archiving.BOUNDED);
        assertThat(big.level()).isEqualTo(RiskLevel.HIGH);
        assertThat(reasons(big)).anySatisfy(r -> assertThat(r).startsWith("line 1: ACCESS EXCLUSIVE on big table accounts (1000 rows"));
    }

    @Test
    void destroyingDataIsHighWhenArchivedAndCriticalWhenNot() {
        files.pair("0001_drop_label", "alter table tags drop column label;", "alter table tags add column label text;");

        Risk archived = only(Archiving.BOUNDED);
        assertThat(archived.level()).isEqualTo(RiskLevel.HIGH);
        assertThat(reasons(archived)).anySatisfy(r -> assertThat(r).startsWith("line 1: destroys data; archives the values of "));

        Risk lost = only(Archiving.OFF);
        assertThat(lost.level()).isEqualTo(RiskLevel.CRITICAL);
        assertThat(reasons(lost).get(0)).startsWith("line 1: destroys data with archiving off (--no-archive)");
    }

    @Test
    void aMigrationThatCannotBeTakenBackIsCritical() {
        files.write("0001_seed.up.sql", "insert into tags values (11, 'eleven');");

        Risk risk = only(Archiving.BOUNDED);

        assertThat(risk.level()).isEqualTo(RiskLevel.CRITICAL);
        assertThat(reasons(risk).get(0)).startsWith("irreversible: no down migration and Reverso cannot derive one (step 1, ");
    }

    @Test
    void aHighRiskMigrationIsRefusedWithoutPreflightOrWithoutSnapshotAndArchiveAndRunsWithThem() {
        files.pair("0001_account_color", "alter table accounts add column color text;", "alter table accounts drop column color;");
        Release release = Release.defaults().withThresholds(THRESHOLDS);

        assertThatThrownBy(() -> reverso(Archiving.BOUNDED).up(Optional.empty(), Optional.empty(), RunChecks.none(), release))
                .isInstanceOfSatisfying(ReversoException.class, e -> assertThat(e.kind()).isEqualTo(ReversoException.Kind.CHECK_FAILED))
                .hasMessageContaining("the release gates refused the run; nothing was changed")
                .hasMessageContaining("1_account_color (high risk) requires a passing preflight (no --no-preflight): not met")
                .message().doesNotContain("snapshot");
        assertThatThrownBy(() -> reverso(Archiving.OFF).up(Optional.empty(), Optional.empty(), new RunChecks(true, false), release))
                .hasMessageContaining("1_account_color (high risk) requires a snapshot (--snapshot) or archiving (no --no-archive): not met");
        assertThat(db.value("select count(*) from information_schema.columns where column_name = 'color'")).isEqualTo("0");
        assertThat(reverso(Archiving.BOUNDED).history(10)).filteredOn(a -> a.action().equals("gate"))
                .extracting(AuditEntry::outcome).contains("refused");

        CheckedRun<RunResult> run = reverso(Archiving.OFF).up(Optional.empty(),
                Optional.of(new SnapshotRequest(false, snapshots, PgTools.fromEnvironment())), new RunChecks(true, false), release);

        assertThat(run.result().migrations()).hasSize(1);
        assertThat(reverso(Archiving.BOUNDED).history(20)).filteredOn(a -> a.action().equals("gate") && a.outcome().equals("passed"))
                .extracting(AuditEntry::detail).contains(
                        "1_account_color (high risk) requires a snapshot (--snapshot) or archiving (no --no-archive): met (snapshot)",
                        "1_account_color (high risk) requires a passing preflight (no --no-preflight): met");
    }

    @Test
    void aCriticalMigrationNeedsAnApproverWhoIsRecordedAndARoundtrip() {
        files.pair("0001_colors", "create table colors (id int primary key, name text);", "drop table colors;");
        files.write("0002_seed.up.sql", "insert into colors values (1, 'red');");
        reverso(Archiving.BOUNDED).up(Optional.of(dev.reverso.source.Version.parse("1")));
        Release release = Release.defaults().withThresholds(THRESHOLDS);

        assertThatThrownBy(() -> reverso(Archiving.BOUNDED).up(Optional.empty(), Optional.empty(), new RunChecks(true, false), release))
                .hasMessageContaining("2_seed (critical risk) requires an approver (--approved-by NAME): not met")
                .hasMessageContaining("2_seed (critical risk) requires a roundtrip check on a scratch database: not met"
                        + " (not run: other gates are not met)");
        assertThat(db.value("select count(*) from colors")).isEqualTo("0");

        reverso(Archiving.BOUNDED).up(Optional.empty(), Optional.empty(), new RunChecks(true, false), release.approvedBy("alice"));

        assertThat(db.value("select count(*) from colors")).isEqualTo("1");
        assertThat(reverso(Archiving.BOUNDED).history(20)).filteredOn(a -> a.action().equals("gate") && a.outcome().equals("passed"))
                .extracting(AuditEntry::detail).contains(
                        "2_seed (critical risk) requires an approver (--approved-by NAME): met (approved by alice)",
                        "2_seed (critical risk) requires a roundtrip check on a scratch database: met (passed)");
    }

    @Test
    void aFailingRoundtripRefusesACriticalMigrationEvenWhenApproved() {
        // tags exists only in this database, not in the migrations: on a scratch database the seed fails
        files.write("0001_seed.up.sql", "insert into tags values (11, 'eleven');");

        assertThatThrownBy(() -> reverso(Archiving.BOUNDED).up(Optional.empty(), Optional.empty(), new RunChecks(true, false),
                Release.defaults().approvedBy("alice")))
                .hasMessageContaining("1_seed (critical risk) requires a roundtrip check on a scratch database: not met"
                        + " (roundtrip failed at 1_seed: ")
                .hasMessageContaining("relation \"tags\" does not exist");
        assertThat(db.value("select count(*) from tags")).isEqualTo("10");
    }
}
