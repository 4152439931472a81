package dev.reverso.cli;

import dev.reverso.Database;
import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.PreloadedServer;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** reverso verify --perf as a user sees it, with and without pg_stat_statements. */
class VerifyPerfTest {

    @TempDir
    Path dir;

    @Test
    void aSlowerLookupAndAnUnusedIndexAreFlaggedWithExitOne() throws SQLException {
        try (PreloadedServer server = PreloadedServer.start()) {
            server.execute("create database app");
            var url = server.url().withDatabase("app");
            String jdbc = url.jdbcUrl() + (url.jdbcUrl().contains("?") ? "&" : "?") + "user=postgres";
            try (Connection c = new Database(url, "setup").connect()) {
                c.createStatement().execute("create extension pg_stat_statements");
            }
            MigrationsDir files = new MigrationsDir(dir).pair("0001_items", "create table items (id bigint primary key, sku int);"
                    + " insert into items select g, g % 1000 from generate_series(1, 100000) g;"
                    + " create index items_sku on items (sku); analyze items;", "drop table items;");
            assertThat(Cli.against(jdbc, dir, "up").exit()).isEqualTo(ExitCode.DONE);
            lookUp(url, 40);
            files.pair("0002_swap_index", "drop index items_sku; create index items_id_sku on items (id, sku);", null);
            assertThat(Cli.against(jdbc, dir, "up").exit()).isEqualTo(ExitCode.DONE);
            lookUp(url, 40);

            Cli.Outcome out = Cli.against(jdbc, dir, "verify", "--perf", "--since", "2");

            assertThat(out.exit()).isEqualTo(ExitCode.CHECK_FAILED);
            assertThat(out.out()).contains("before version 2").containsPattern("SLOWER  \\+\\d+ %: \\d+\\.\\d{3} ms over 40 calls before,"
                    + " \\d+\\.\\d{3} ms over 40 calls since: select count\\(\\*\\) from items where sku = \\$1")
                    .contains("UNUSED  index public.items_id_sku on items").contains("created since the baseline by migration 2, not scanned since").contains("2 flagged: compared");
            Cli.Outcome json = Cli.against(jdbc, dir, "--format", "json", "verify", "--perf", "--threshold", "100000%");
            assertThat(json.exit()).isEqualTo(ExitCode.CHECK_FAILED);
            assertThat(json.out()).contains("\"unusedIndexes\"").contains("\"name\" : \"items_id_sku\"").contains("\"slower\" : false");
        }
    }

    @Test
    void withoutTheExtensionItSaysHowToEnableItAndBadOptionsAreBadInput() {
        try (ScratchDatabase db = ScratchDatabase.create(VerifyPerfTest.class)) {
            new MigrationsDir(dir).pair("0001_t", "create table t (id int primary key);", "drop table t;");
            assertThat(Cli.against(db.jdbcUrl(), dir, "verify", "--perf").exit()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(Cli.against(db.jdbcUrl(), dir, "up").exit()).isEqualTo(ExitCode.DONE);

            Cli.Outcome out = Cli.against(db.jdbcUrl(), dir, "verify", "--perf");

            assertThat(out.out()).contains("statements not compared  pg_stat_statements is not loaded: set shared_preload_libraries"
                    + " = 'pg_stat_statements'").contains("CREATE EXTENSION pg_stat_statements").contains("no regression");
            assertThat(out.exit()).isEqualTo(ExitCode.DONE);
            assertThat(Cli.against(db.jdbcUrl(), dir, "verify", "--perf", "--threshold", "lots").exit()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(Cli.against(db.jdbcUrl(), dir, "verify", "--perf", "--min-calls", "0").err()).contains("--min-calls");
        }
    }

    private static void lookUp(dev.reverso.DatabaseUrl url, int times) throws SQLException {
        try (Connection c = new Database(url, "app").connect();
             PreparedStatement ps = c.prepareStatement("select count(*) from items where sku = ?")) {
            for (int i = 0; i < times; i++) {
                ps.setInt(1, i);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                }
            }
        }
    }
}
