package dev.reverso.engine;

import dev.reverso.Event;
import dev.reverso.history.LockHolder;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Runs an attempt under lock_timeout and, when it times out waiting for a lock, backs off and
 * tries again per the {@link RetryPolicy}. Work that does not block the application's writes
 * waits once, for the whole budget, instead. The attempt must leave nothing behind when it fails
 * (roll back its transaction); this class only decides whether and when to try again.
 *
 * <p>Only a lock timeout (SQLSTATE 55P03) is tried again. A cancelled statement (57014: the
 * monitor's {@code --max-blocking} or {@code --max-duration}, a statement_timeout, an operator's
 * pg_cancel_backend) is not: the monitor cancels because the statement held up the application
 * or the run for longer than the user allows, and trying it again would hold it up again. The
 * session's {@link RunGuard} is asked after every lock timeout, and {@link Session#execute} asks it
 * before every statement, so no try starts once the monitor has stopped the run, even when its
 * cancel arrived between statements.
 */
public final class LockTimeoutRetry {

    /** One try of some work under a lock timeout. */
    @FunctionalInterface
    public interface Attempt {
        void run(Duration lockTimeout) throws StepFailure, SQLException;
    }

    /** Where each retry is written down, besides the listener: the audit trail. */
    @FunctionalInterface
    public interface RetryLog {
        void retrying(Event.LockRetry retry) throws SQLException;
    }

    private final Session session;
    private final RetryPolicy policy;
    private final Event.Listener listener;
    private final RetryLog log;
    private final RandomGenerator random;

    public LockTimeoutRetry(Session session, RetryPolicy policy, Event.Listener listener, RetryLog log,
                            RandomGenerator random) {
        this.session = session;
        this.policy = policy;
        this.listener = listener;
        this.log = log;
        this.random = random;
    }

    /**
     * Runs the attempt until it succeeds, fails for another reason than a lock timeout, or the total
     * wait is used up.
     *
     * @throws StepFailure when a statement failed for another reason than a lock timeout
     * @throws LockWaitExhausted when the total wait ran out
     */
    public void run(String version, boolean blocksApplication, Attempt attempt)
            throws StepFailure, SQLException, LockWaitExhausted {
        long start = System.nanoTime();
        if (!blocksApplication) {
            patiently(attempt, start);
            return;
        }
        for (int n = 1; ; n++) {
            Duration timeout = policy.lockTimeout(n);
            session.lockTimeout(timeout);
            try {
                attempt.run(timeout);
                return;
            } catch (StepFailure failure) {
                if (!failure.lockTimeout()) {
                    throw failure;
                }
                stopIfAsked(failure.step());
                List<LockHolder> blockers = Blockers.of(session.connection(), failure.step());
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                Duration sleep = policy.backoff(n, random);
                if (elapsed.plus(sleep).plus(policy.lockTimeout(n + 1)).compareTo(policy.maxTotalWait()) > 0) {
                    throw new LockWaitExhausted(failure.step(), n, elapsed, blockers);
                }
                Event.LockRetry retry = new Event.LockRetry(version, failure.step().summary(), n, timeout, sleep, blockers);
                log.retrying(retry);
                listener.on(retry);
                sleep(sleep);
            }
        }
    }

    /**
     * Work whose locks do not block the application's writes waits once, for the whole budget:
     * retrying it would only restart a concurrent index build from scratch.
     */
    private void patiently(Attempt attempt, long start) throws StepFailure, SQLException, LockWaitExhausted {
        Duration budget = policy.maxTotalWait();
        session.lockTimeout(budget);
        try {
            attempt.run(budget);
        } catch (StepFailure failure) {
            if (!failure.lockTimeout()) {
                throw failure;
            }
            throw new LockWaitExhausted(failure.step(), 1, Duration.ofNanos(System.nanoTime() - start),
                    Blockers.of(session.connection(), failure.step()));
        }
    }

    /** No further try once the monitor has stopped the run: the step fails with the monitor's reason instead. */
    private void stopIfAsked(Step step) throws StepFailure {
        try {
            session.guard().check();
        } catch (SQLException stopped) {
            throw new StepFailure(step, stopped);
        }
    }

    private static void sleep(Duration d) throws SQLException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while backing off from a lock timeout", e);
        }
    }

    /**
     * Short DDL on an application table (a trigger created or dropped) in a transaction of its
     * own, retried like a statement that blocks writes.
     *
     * @param step the step it is done for, named in the retry events
     * @return false when the total wait ran out and the work was not done
     */
    public boolean inOwnTransaction(String version, Step step, dev.reverso.archive.Archiver.SqlWork work) throws SQLException {
        java.sql.Connection c = session.connection();
        try {
            run(version, true, timeout -> {
                c.setAutoCommit(false);
                try {
                    work.run();
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    throw new StepFailure(step, e);
                } finally {
                    c.setAutoCommit(true);
                }
            });
            return true;
        } catch (LockWaitExhausted e) {
            return false;
        } catch (StepFailure f) {
            throw f.sqlException();
        }
    }
}
