package dev.reverso.perf;

import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;
import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** verify --perf on the shared test server, which does not preload pg_stat_statements. */
class PerfWithoutExtensionTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(PerfWithoutExtensionTest.class);
        Assumptions.assumeFalse(db.value("show shared_preload_libraries").contains("pg_stat_statements"),
                "the test server preloads pg_stat_statements; this test is about a server that does not");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @Test
    void itSaysHowToEnableTheExtensionAndStillComparesSizesAndIndexes() {
        MigrationsDir files = new MigrationsDir(dir);
        files.pair("0001_events", "create table events (id bigint primary key, kind text);"
                + " insert into events select g, 'k' || (g % 10) from generate_series(1, 20000) g;", "drop table events;");
        files.pair("0002_more_events", "insert into events select g, 'k' from generate_series(20001, 60000) g;"
                + " create index events_kind on events (kind);", "drop index events_kind; delete from events where id > 20000;");
        Reverso reverso = Reverso.with(ReversoConfig.of(db.url(), dir));
        reverso.up(Optional.of(dev.reverso.source.Version.parse("0001")));
        reverso.up(Optional.empty());

        assertThat(db.value("select statements_tracked::text from reverso.perf_baselines where version = '2'")).isEqualTo("false");
        PerfReport report = reverso.verifyPerf(Optional.empty(), PerfSettings.defaults());

        assertThat(report.statementsNote())
                .contains("shared_preload_libraries = 'pg_stat_statements'").contains("restart")
                .contains("CREATE EXTENSION pg_stat_statements");
        assertThat(report.statements()).isEmpty();
        assertThat(report.unusedIndexes()).extracting(PerfReport.UnusedIndex::name).containsExactly("events_kind");
        PerfReport.SizeChange events = report.relations().stream().filter(s -> s.name().equals("events")).findFirst().orElseThrow();
        assertThat(events.growthPercent()).isGreaterThan(100);
        assertThat(report.flagged()).isTrue();
    }

    @Test
    void completeRecordsABaselineTaggedWithItsVersionAndALayoutThreeSchemaIsUpgraded() {
        db.resetSchemas();
        db.execute("create table items (id bigint primary key, n int not null); insert into items select g, g from generate_series(1, 100) g");
        new MigrationsDir(dir).write("0001_add_double.json", """
                {"operations": [{"add_column": {"table": "items", "up": "n * 2",
                  "column": {"name": "double_n", "type": "int", "nullable": false}}}]}""");
        Reverso reverso = Reverso.with(ReversoConfig.of(db.url(), dir));
        reverso.start("1");
        db.execute("drop table reverso.perf_relations, reverso.perf_statements, reverso.perf_baselines;"
                + " update reverso.meta set value = '3' where key = 'layout_version'");

        reverso.complete();

        assertThat(db.value("select value from reverso.meta where key = 'layout_version'")).isEqualTo("4");
        assertThat(db.column("select version || ' ' || command from reverso.perf_baselines")).containsExactly("1 complete");
        assertThat(db.value("select bytes > 0 from reverso.perf_relations where kind = 'table' and name = 'items'")).isEqualTo("t");
    }
}
