package dev.reverso;

import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Two runners at once: one writes, the other waits its bounded time, then either finds nothing to do or names the holder. */
class RunnerLockTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(RunnerLockTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    private void reset() {
        db.execute("drop schema if exists reverso cascade; drop table if exists runs, slow");
        new MigrationsDir(dir)
                .pair("1_slow", "create table slow (id int);\nselect pg_sleep(1.5);", "drop table slow;")
                .pair("2_runs", "create table runs (id int);\ninsert into runs values (1);", "drop table runs;");
    }

    private List<Object> race(Duration runnerWait) throws Exception {
        reset();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RunResult>> futures = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Reverso reverso = Reverso.with(ReversoConfig.of(db.url(), dir).withRunnerLockWait(runnerWait)
                    .withApplicationName("runner-" + i));
            futures.add(pool.submit(() -> {
                go.await();
                return reverso.up(Optional.empty());
            }));
        }
        go.countDown();
        List<Object> outcomes = new ArrayList<>();
        for (Future<RunResult> f : futures) {
            try {
                outcomes.add(f.get(30, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                outcomes.add(e.getCause());
            }
        }
        pool.shutdown();
        return outcomes;
    }

    @Test
    void theSecondRunnerWaitsThenFindsEverythingApplied() throws Exception {
        List<Object> outcomes = race(Duration.ofSeconds(15));

        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(RunResult.class));
        int applied = outcomes.stream().mapToInt(o -> ((RunResult) o).migrations().size()).sum();
        assertThat(applied).as("each migration applied exactly once across both runners").isEqualTo(2);
        assertThat(db.value("select count(*) from runs")).isEqualTo("1");
    }

    @Test
    void theSecondRunnerGivesUpNamingTheHolder() throws Exception {
        List<Object> outcomes = race(Duration.ofMillis(300));

        List<Object> failures = outcomes.stream().filter(o -> o instanceof ReversoException).toList();
        assertThat(failures).hasSize(1);
        ReversoException e = (ReversoException) failures.get(0);
        assertThat(e.kind()).isEqualTo(ReversoException.Kind.LOCKED);
        assertThat(e.getMessage()).containsPattern("another runner holds the lock on reverso: pid \\d+ \\(user \\w+, application 'runner-[01]'")
                .contains("since ");
        assertThat(db.value("select count(*) from runs")).isEqualTo("1");
    }
}
