package dev.reverso.cli;

import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's first command: the demo runs end to end (against the test server, to keep the build fast). */
class DemoTest {

    @Test
    void theDemoWalksThroughApplyRetryAndRollback() {
        ScratchDatabase server = ScratchDatabase.create(DemoTest.class);
        try {
            Cli.Outcome o = Cli.run("--url", server.jdbcUrl(), "demo");

            assertThat(o.exit()).as(o.err()).isZero();
            assertThat(o.out()).contains("warning  create-index-non-concurrent").contains("0 findings")
                    .contains("applied 2 migrations").contains("rolled back 2 migrations")
                    .contains("rolled back, file missing")
                    .contains("started 10").contains("display_name=").contains("rolled back 10 in")
                    .contains(", 0 failed").doesNotContainPattern("[1-9][0-9]* failed").contains("public_0010_display_name")
                    .contains("verdict: safe with restore").contains("written since: public.orders: 250 rows")
                    .contains("after:  10000 totals, sum 2504900.00")
                    .containsPattern("500 +invoices +applied [0-9-]+ [0-9:]+ +pending");
            assertThat(o.err()).contains("the environment gate refused the run in production; nothing was changed:")
                    .contains("  500_invoices: staging has not applied it");
            assertThat(o.err()).contains("restored 10000 values of public.orders.total");
            assertThat(o.err()).contains("lock timeout (100 ms) on 3").contains("application 'monthly-report'");
            // Step 4b: preflight names the report, the monitor cancels the migration the shop waits on.
            assertThat(o.out()).contains("holds a lock that 0004_orders_note.up.sql line 1 (ALTER TABLE) would wait for")
                    .containsPattern("monitor +4 +cancelled +cancelled: pid");
            assertThat(o.err()).containsPattern("reverso: cancelled: pid \\d+ \\(application 'shop', user \\w+\\) waited 1\\.\\d s"
                    + " on select pg_sleep\\(5\\) \\(--max-blocking 1\\.0 s\\)");
            assertThat(o.err()).contains("preflight FAIL blocking sessions: pid ").contains("preflight failed; nothing was changed");
            // Step 4c: the failed run's postmortem draft, with the step the monitor stopped.
            assertThat(o.out()).containsPattern("-reports/\\d{8}T\\d{6}\\.\\d{3}Z_up_4_postmortem\\.md:")
                    .contains("4_orders_note (up) step 2 of 2: select pg_sleep(5)").contains("The reports of the demo's runs");
        } finally {
            server.close();
        }
    }
}
