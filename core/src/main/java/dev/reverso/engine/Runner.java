package dev.reverso.engine;

import dev.reverso.Event;
import dev.reverso.Event.Direction;
import dev.reverso.ReversoException;
import dev.reverso.archive.Archiver;
import dev.reverso.archive.Restorer;
import dev.reverso.archive.TableWrites;
import dev.reverso.history.AuditLog;
import dev.reverso.history.HistoryRow;
import dev.reverso.history.Ledger;
import dev.reverso.history.MigrationState;
import dev.reverso.catalog.Catalog;
import dev.reverso.sql.Identifiers;
import dev.reverso.sql.ObjectChange;
import dev.reverso.sql.ObjectKind;
import dev.reverso.source.Migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Runs migration scripts up or down on one session and keeps the ledger true at every moment.
 *
 * <p>A transactional script runs with its history row and audit row in one transaction: killed
 * mid-way, it leaves nothing but the run's audit row, written before the first migration. A script
 * that must run outside a transaction runs step by step: its history row says running, and each
 * statement is journaled as running before it is sent; a statement that can run in a transaction
 * commits together with its "done" entry, one that cannot is journaled done after it returns. So
 * after a crash the ledger says which statement was last done, and only a statement of the second
 * sort can be in doubt (repair checks those against the catalog).
 */
public final class Runner {

    private final Session session;
    private final Ledger ledger;
    private final LockTimeoutRetry retry;
    private final Event.Listener listener;
    private final String actor;
    private final Optional<Archiver> archiver;
    /** Whether this run has dropped the leftovers of interrupted archive captures yet. */
    private boolean swept;
    /** How many migrations this run applied (or rolled back) before the one running now. */
    private int earlierInRun;

    /**
     * @param archiver preserves what up steps destroy; empty when archiving is turned off
     */
    public Runner(Session session, Ledger ledger, LockTimeoutRetry retry, Event.Listener listener, String actor,
                  Optional<Archiver> archiver) {
        this.session = session;
        this.ledger = ledger;
        this.retry = retry;
        this.listener = listener;
        this.actor = actor;
        this.archiver = archiver;
    }

    /**
     * How a step's statement is run: up steps go through the archive first; down steps are
     * followed by the restores their statement made possible.
     */
    @FunctionalInterface
    private interface StepExecution {
        void run(Step step) throws SQLException;

        /** What has been done so far is committed, or about to be tried as one transaction. */
        default void checkpoint() {
        }

        /**
         * A try begins: whatever an earlier, rolled-back try did since the checkpoint is forgotten.
         * Called in the try's transaction when the steps run as one.
         */
        default void fromCheckpoint() throws SQLException {
        }
    }

    /**
     * Counts what the steps write with the meter: for a transactional script from the start of
     * each try (the record that ends the transaction reads the counters again), for a step-by-step
     * one around each step that runs in its own transaction.
     */
    private static StepExecution metered(StepExecution inner, TableWrites.Meter meter, boolean transactional) {
        if (meter == null) {
            return inner;
        }
        return new StepExecution() {
            @Override
            public void run(Step step) throws SQLException {
                if (transactional) {
                    inner.run(step);
                    return;
                }
                meter.mark();
                inner.run(step);
                meter.add();
            }

            @Override
            public void checkpoint() {
                inner.checkpoint();
                meter.checkpoint();
            }

            @Override
            public void fromCheckpoint() throws SQLException {
                inner.fromCheckpoint();
                meter.fromCheckpoint();
                if (transactional) {
                    meter.mark();
                }
            }
        };
    }

    private StepExecution archiving(String version, Script script) {
        if (archiver.isEmpty()) {
            return session::execute;
        }
        return step -> {
            // The statements before it: what they added, its UPDATE does not destroy.
            List<dev.reverso.sql.Statement> earlier = statements(script.steps().subList(0, step.number() - 1));
            Archiver.Prepared prepared = archiver.get().prepare(c(), version, step.number(), step.statement(), earlier);
            if (prepared.sql() != null) {
                session.execute(prepared.sql());
            }
            archiver.get().finish(c(), prepared);
            for (String warning : prepared.warnings()) {
                listener.on(new Event.Warning(version + ": " + warning));
            }
            // Only what was really kept: a lossless type change destroys nothing, and archives nothing.
            if (prepared.entries().stream().anyMatch(kept -> kept.table() != null)) {
                listener.on(new Event.Archived(version, step.number(), step.summary()));
            }
        };
    }

    /**
     * Before a transaction: the archive copies ahead, in batches and outside any lock, the large
     * columns its steps will drop or retype ({@link Archiver#captureAhead}).
     */
    private void captureAhead(String version, List<Step> steps) throws SQLException {
        if (archiver.isEmpty()) {
            return;
        }
        Archiver a = archiver.get();
        if (!swept) {
            swept = true;
            try {
                a.sweep(c());
            } catch (SQLException e) {
                listener.on(new Event.Warning("could not drop what an interrupted archive capture left: "
                        + dev.reverso.Database.serverMessage(e)));
            }
        }
        for (Step step : steps) {
            List<String> warnings = a.captureAhead(c(), version, step.number(), step.statement(),
                    work -> retry.inOwnTransaction(version, step, work), () -> session.guard().pace("archiving for " + version
                            + " step " + step.number()));
            warnings.forEach(w -> listener.on(new Event.Warning(version + ": " + w)));
        }
    }

    /** After the transaction of these steps committed, or failed for good: captures made ahead are settled. */
    private void settleCaptures(List<Step> steps, boolean committed) throws SQLException {
        if (archiver.isPresent()) {
            archiver.get().settle(c(), steps.stream().map(Step::number).toList(), committed)
                    .forEach(w -> listener.on(new Event.Warning(w)));
        }
    }

    /**
     * The statements of these steps, as a view: a migration of many thousand statements would
     * otherwise copy its list once per statement.
     */
    private static List<dev.reverso.sql.Statement> statements(List<Step> steps) {
        return new java.util.AbstractList<>() {
            @Override
            public dev.reverso.sql.Statement get(int i) {
                return steps.get(i).statement();
            }

            @Override
            public int size() {
                return steps.size();
            }
        };
    }

    private StepExecution restoring(Restorer restorer, Script script) {
        return new StepExecution() {
            @Override
            public void run(Step step) throws SQLException {
                session.execute(step);
                restorer.later(statements(script.steps().subList(step.number(), script.steps().size())));
                restorer.afterStep();
            }

            @Override
            public void checkpoint() {
                restorer.checkpoint();
            }

            @Override
            public void fromCheckpoint() {
                restorer.backToCheckpoint();
            }
        };
    }

    /**
     * Tells the runner how many migrations its run has applied or rolled back before the next one,
     * so that a failure of that one does not claim nothing changed.
     */
    public void earlierInRun(int migrations) {
        this.earlierInRun = migrations;
    }

    /**
     * The end of a failure message for a migration (or its rollback) whose own changes were undone:
     * nothing changed, unless earlier migrations of the run stay as they were left.
     */
    private String undone(String action, String nothingRan) {
        if (earlierInRun == 0) {
            return nothingRan + ", nothing changed";
        }
        boolean up = action.equals("apply");
        String earlier = earlierInRun + (earlierInRun == 1 ? " migration " : " migrations ")
                + (up ? "applied" : "rolled back") + " before it in this run " + (earlierInRun == 1 ? "stays " : "stay ")
                + (up ? "applied" : "rolled back");
        String self = nothingRan.equals("rolled back") ? (up ? "this migration was rolled back" : "its rollback was undone, it stays applied")
                : nothingRan + (up ? ", this migration changed nothing" : ", its rollback changed nothing");
        return self + "; " + earlier;
    }

    /** The migration connection with Reverso's timeouts, for work that runs beside SQL migrations. */
    public Session session() {
        return session;
    }

    /** Where progress goes: the config's listener, through the monitor. */
    public Event.Listener listener() {
        return listener;
    }

    /** The lock-timeout retry every blocking statement goes through. */
    public LockTimeoutRetry retry() {
        return retry;
    }

    private Connection c() {
        return session.connection();
    }

    /** Applies a migration and records it as applied, keeping its down SQL for a later rollback. */
    public long apply(Migration m, Script script, Optional<HistoryRow> previous) throws SQLException {
        return apply(m, script, previous, () -> { });
    }

    /**
     * Applies a migration; {@code stats} runs last, in the migration's transaction when it has one
     * (it records the write counters of the tables the migration touched).
     */
    public long apply(Migration m, Script script, Optional<HistoryRow> previous, Bookkeeping stats) throws SQLException {
        return apply(m, script, previous, null, stats);
    }

    /**
     * Applies a migration; {@code meter} counts what its statements write (null: nothing counts),
     * and {@code stats} runs last, in the migration's transaction when it has one (it records the
     * write counters of the tables the migration touched, and the meter's count).
     */
    public long apply(Migration m, Script script, Optional<HistoryRow> previous, TableWrites.Meter meter, Bookkeeping stats)
            throws SQLException {
        String version = m.version().toString();
        session.guard().pace(m.label());
        listener.on(new Event.MigrationStarting(version, m.name(), Direction.UP, !script.autocommit(), script.steps().size()));
        long start = System.nanoTime();
        HistoryRow running = new HistoryRow(version, m.name(), "sql", m.checksum(), MigrationState.RUNNING,
                !script.autocommit(), Instant.now(), null, null, actor, m.upSql(), m.downSql(), null, null);
        if (script.autocommit()) {
            ledger.history().write(c(), running);
            ledger.steps().clear(c(), version, Direction.UP.dbValue());
            runSteps(version, m.label(), script, 1, Direction.UP, metered(archiving(version, script), meter, false),
                    () -> restore(version, previous));
            stats.run();
            long ms = millisSince(start);
            ledger.history().transition(c(), version, MigrationState.APPLIED, ms, null, null);
            ledger.audit().record(c(), "apply", version, "applied", m.label() + " step by step in " + ms + " ms");
            listener.on(new Event.MigrationFinished(version, m.name(), Direction.UP, ms));
            return ms;
        }
        boolean committed = false;
        try {
            captureAhead(version, script.steps());
            runInTransaction(version, m.label(), script, "apply", metered(archiving(version, script), meter, true), () -> {
                stats.run();
                long ms = millisSince(start);
                ledger.history().write(c(), new HistoryRow(version, m.name(), "sql", m.checksum(), MigrationState.APPLIED,
                        true, running.startedAt(), Instant.now(), ms, actor, m.upSql(), m.downSql(), null, null),
                        new AuditLog.Note("apply", version, "applied", m.label() + " in " + ms + " ms"));
            });
            committed = true;
        } finally {
            settleCaptures(script.steps(), committed);
        }
        long ms = millisSince(start);
        listener.on(new Event.MigrationFinished(version, m.name(), Direction.UP, ms));
        return ms;
    }

    /** Rolls back an applied migration with the down SQL stored when it was applied. */
    public long revert(HistoryRow row, Script script) throws SQLException {
        return revert(row, script, null);
    }

    /**
     * Rolls back an applied migration with the down SQL stored when it was applied (or derived
     * from its up), putting its archived data back as the down makes room for it.
     *
     * @param restorer the migration's archives to put back, or null when there are none
     */
    public long revert(HistoryRow row, Script script, Restorer restorer) throws SQLException {
        return revert(row, script, restorer, null, () -> { });
    }

    /**
     * Rolls back as above; {@code meter} counts what the down's statements and restores write
     * (null: nothing counts), and {@code stats} records it, in the down's transaction when it has
     * one.
     */
    public long revert(HistoryRow row, Script script, Restorer restorer, TableWrites.Meter meter, Bookkeeping stats)
            throws SQLException {
        StepExecution plain = restorer == null ? session::execute : restoring(restorer, script);
        StepExecution execution = metered(plain, meter, !script.autocommit());
        Bookkeeping restoreRest = () -> {
            if (restorer != null) {
                restorer.later(List.of());
                restorer.finish();
                restorer.outcomes().forEach(note -> listener.on(new Event.Restored(row.version(), note)));
            }
        };
        String version = row.version();
        String label = version + "_" + row.name();
        session.guard().pace("rolling back " + label);
        listener.on(new Event.MigrationStarting(version, row.name(), Direction.DOWN, !script.autocommit(), script.steps().size()));
        long start = System.nanoTime();
        if (script.autocommit()) {
            ledger.history().transition(c(), version, MigrationState.ROLLING_BACK, null, null, null);
            ledger.steps().clear(c(), version, Direction.DOWN.dbValue());
            runSteps(version, label, script, 1, Direction.DOWN, execution,
                    () -> ledger.history().transition(c(), version, row.state(), null, null, null));
            inTransaction(() -> {
                if (meter != null) {
                    meter.mark();
                }
                restoreRest.run();
                if (meter != null) {
                    meter.add();
                }
            });
            stats.run();
            long ms = millisSince(start);
            ledger.history().transition(c(), version, MigrationState.ROLLED_BACK, ms, null, null);
            ledger.audit().record(c(), "rollback", version, "rolled back", label + " step by step in " + ms + " ms");
        } else {
            runInTransaction(version, label, script, "rollback", execution, () -> {
                restoreRest.run();
                stats.run();
                long ms = millisSince(start);
                ledger.history().transition(c(), version, MigrationState.ROLLED_BACK, ms, null, null,
                        new AuditLog.Note("rollback", version, "rolled back", label + " in " + ms + " ms"));
            });
        }
        if (restorer != null && restorer.hasDeferred()) {
            int told = restorer.outcomes().size();
            restorer.restoreDeferred(() -> session.guard().pace("the next restore batch of " + label));
            restorer.outcomes().subList(told, restorer.outcomes().size())
                    .forEach(note -> listener.on(new Event.Restored(row.version(), note)));
        }
        long ms = millisSince(start);
        listener.on(new Event.MigrationFinished(version, row.name(), Direction.DOWN, ms));
        return ms;
    }

    /** Restores that a run which died left half done (see {@link Restorer#resumeDeferred}), before anything else runs. */
    public void resumeDeferredRestores() throws SQLException {
        if (archiver.isEmpty()) {
            return;
        }
        for (String note : Restorer.resumeDeferred(archiver.get().index(), c(), () -> session.guard().pace("a resumed restore batch"))) {
            listener.on(new Event.Restored(note.substring(0, note.indexOf(' ')), "resumed: " + note));
        }
    }

    /**
     * Runs the steps of an interrupted or failed step-by-step run from {@code fromStep} on, then
     * records the migration as applied (up) or rolled back (down).
     */
    public long resume(HistoryRow row, Script script, int fromStep, Direction direction) throws SQLException {
        String version = row.version();
        String label = version + "_" + row.name();
        long start = System.nanoTime();
        MigrationState during = direction == Direction.UP ? MigrationState.RUNNING : MigrationState.ROLLING_BACK;
        ledger.history().transition(c(), version, during, null, null, null);
        runSteps(version, label, script, fromStep, direction,
                direction == Direction.UP ? archiving(version, script) : session::execute, () -> { });
        long ms = millisSince(start);
        MigrationState end = direction == Direction.UP ? MigrationState.APPLIED : MigrationState.ROLLED_BACK;
        ledger.history().transition(c(), version, end, ms, null, null);
        ledger.audit().record(c(), "repair", version, "resumed", label + " from step " + fromStep + ", now " + end.dbValue());
        return ms;
    }

    /** What to do when a step-by-step run fails before any step was done: put the ledger back as it was. */
    @FunctionalInterface
    private interface Undo {
        void run() throws SQLException;
    }

    /** Work done in the migration's transaction after its statements, before it commits. */
    @FunctionalInterface
    public interface Bookkeeping {
        void run() throws SQLException;
    }

    private void inTransaction(Bookkeeping work) throws SQLException {
        c().setAutoCommit(false);
        try {
            work.run();
            c().commit();
        } catch (SQLException | RuntimeException e) {
            c().rollback();
            throw e;
        } finally {
            c().setAutoCommit(true);
        }
    }

    private void runInTransaction(String version, String label, Script script, String action, StepExecution execution,
                                  Bookkeeping bookkeeping) throws SQLException {
        // No "started" row of its own: the run's row, written before the first migration, is the
        // trace a kill inside this transaction leaves, and skipping it saves a commit per migration.
        c().setAutoCommit(false);
        try {
            execution.checkpoint();
            retry.run(version, script.blocksApplication(), timeout -> {
                try {
                    execution.fromCheckpoint();
                    for (Step step : script.steps()) {
                        try {
                            listener.on(new Event.StatementStarting(version, step.number(), script.steps().size(), step.summary(),
                                    step.lockText()));
                            execution.run(step);
                        } catch (SQLException e) {
                            throw new StepFailure(step, e);
                        } catch (ReversoException e) {
                            throw e;
                        } catch (RuntimeException e) {
                            throw new StepFailure(step, internal(e));
                        }
                    }
                    bookkeeping.run();
                    c().commit();
                } catch (StepFailure | SQLException | RuntimeException e) {
                    c().rollback();
                    throw e;
                }
            });
        } catch (StepFailure f) {
            c().setAutoCommit(true);
            String message = label + " failed at line " + f.step().line() + " (" + f.step().summary() + "): "
                    + f.serverMessage() + "; " + undone(action, "rolled back");
            ledger.audit().record(c(), action, version, "failed", message);
            throw new ReversoException(ReversoException.Kind.MIGRATION_FAILED, message, f);
        } catch (LockWaitExhausted e) {
            c().setAutoCommit(true);
            String message = label + ": " + e.describe() + "; " + undone(action, "rolled back");
            ledger.audit().record(c(), action, version, "failed", message);
            throw new ReversoException(ReversoException.Kind.MIGRATION_FAILED, message, e);
        } catch (RuntimeException e) {
            if (e instanceof ReversoException) {
                throw e;
            }
            // A bug in Reverso's own work after the statements (the restore, the bookkeeping): one
            // line naming the migration, like any other failure, not a stack trace.
            c().setAutoCommit(true);
            String message = label + " failed: " + internal(e).getMessage() + "; rolled back, nothing changed";
            ledger.audit().record(c(), action, version, "failed", message);
            throw new ReversoException(ReversoException.Kind.MIGRATION_FAILED, message, e);
        } finally {
            c().setAutoCommit(true);
        }
    }

    private void runSteps(String version, String label, Script script, int fromStep, Direction direction,
                          StepExecution execution, Undo undoIfNothingDone) throws SQLException {
        String dir = direction.dbValue();
        String action = direction == Direction.UP ? "apply" : "rollback";
        if (fromStep == 1) {
            ledger.audit().record(c(), action, version, "started", label + " step by step");
        }
        int total = script.steps().size();
        for (Step step : script.steps().subList(fromStep - 1, total)) {
            listener.on(new Event.StatementStarting(version, step.number(), total, step.summary(), step.lockText()));
            ledger.steps().begin(c(), version, dir, step.number(), step.sql(), step.line());
            boolean atomic = step.classification().transactional();
            execution.checkpoint();
            boolean captured = direction == Direction.UP && atomic;
            boolean stepDone = false;
            try {
                if (captured) {
                    captureAhead(version, List.of(step));
                }
                retry.run(version, step.blocksApplication(), timeout -> {
                    execution.fromCheckpoint();
                    if (atomic) {
                        runWithItsJournalEntry(version, dir, step, execution);
                        return;
                    }
                    try {
                        session.execute(step);
                    } catch (SQLException e) {
                        dropInvalidIndexLeftBy(step);
                        throw new StepFailure(step, e);
                    }
                });
                stepDone = true;
            } catch (StepFailure f) {
                stepFailed(version, label, step, total, fromStep, direction, f.serverMessage(), undoIfNothingDone, f);
            } catch (LockWaitExhausted e) {
                stepFailed(version, label, step, total, fromStep, direction, e.describe(), undoIfNothingDone, e);
            } finally {
                if (captured) {
                    settleCaptures(List.of(step), stepDone);
                }
            }
            if (!atomic) {
                ledger.steps().end(c(), version, dir, step.number(), null);
            }
        }
    }

    /**
     * A statement that can run in a transaction commits together with its journal entry, so after
     * a crash the journal is exact: done means committed, running means rolled back. Only the
     * statements PostgreSQL refuses in a transaction leave a gap, and repair checks those against
     * the catalog.
     */
    private void runWithItsJournalEntry(String version, String dir, Step step, StepExecution execution)
            throws StepFailure, SQLException {
        c().setAutoCommit(false);
        try {
            try {
                execution.run(step);
            } catch (SQLException e) {
                c().rollback();
                throw new StepFailure(step, e);
            } catch (ReversoException e) {
                c().rollback();
                throw e;
            } catch (RuntimeException e) {
                c().rollback();
                throw new StepFailure(step, internal(e));
            }
            ledger.steps().end(c(), version, dir, step.number(), null);
            c().commit();
        } finally {
            c().setAutoCommit(true);
        }
    }

    /**
     * A concurrent index build that fails (or times out waiting for older transactions) leaves an
     * invalid index behind, which would make the retry fail with "already exists" and would still
     * cost every write. Drop it, concurrently, so a failed step leaves nothing half-built; if even
     * that fails, the step's failure stands and repair will see the invalid index.
     */
    private void dropInvalidIndexLeftBy(Step step) throws SQLException {
        var change = step.classification().change();
        if (change.isEmpty() || change.get().kind() != ObjectKind.INDEX || change.get().action() != ObjectChange.Action.CREATE
                || !step.classification().command().contains("CONCURRENTLY")) {
            return;
        }
        ObjectChange ch = change.get();
        if (new Catalog(c()).index(ch.schema(), ch.name()) != Catalog.IndexState.INVALID) {
            return;
        }
        String drop = "drop index concurrently if exists " + Identifiers.qualified(ch.schema(), ch.name());
        try (java.sql.Statement st = c().createStatement()) {
            st.execute(drop);
            ledger.audit().record(c(), "cleanup", null, "dropped invalid index", "a failed concurrent build left it; ran: " + drop);
        } catch (SQLException e) {
            ledger.audit().record(c(), "cleanup", null, "failed", drop + ": " + e.getMessage());
        }
    }

    private void stepFailed(String version, String label, Step step, int total, int fromStep, Direction direction, String error,
                            Undo undoIfNothingDone, Exception cause) throws SQLException {
        String dir = direction.dbValue();
        String action = direction == Direction.UP ? "apply" : "rollback";
        ledger.steps().end(c(), version, dir, step.number(), error);
        String where = label + " failed at step " + step.number() + " of " + total + ", line " + step.line()
                + " (" + step.summary() + "): " + error;
        boolean leftInvalidIndex = new Effect(new Catalog(c())).of(step) == Effect.Seen.INVALID_INDEX;
        if (step.number() == 1 && fromStep == 1 && !leftInvalidIndex) {
            ledger.steps().clear(c(), version, dir);
            undoIfNothingDone.run();
            String message = where + "; " + undone(action, "no step had run");
            ledger.audit().record(c(), action, version, "failed", message);
            throw new ReversoException(ReversoException.Kind.MIGRATION_FAILED, message, cause);
        }
        MigrationState state = direction == Direction.UP ? MigrationState.FAILED : MigrationState.ROLLING_BACK;
        ledger.history().transition(c(), version, state, null, error, step.number());
        int done = step.number() - 1;
        String message = where + (leftInvalidIndex ? "; it left invalid " + Effect.object(step) + " behind" : "")
                + "; " + (done == 0 ? "no step" : done == 1 ? "step 1" : "steps 1-" + done) + " done, the database is dirty:"
                + " see reverso status, then reverso repair";
        ledger.audit().record(c(), action, version, "failed", message);
        throw new ReversoException(ReversoException.Kind.MIGRATION_FAILED, message, cause);
    }

    /**
     * A bug in Reverso met while running a step, as a failure of that step (SQLSTATE XX000,
     * internal_error: never retried), so it is reported like any other, naming the migration and the step.
     */
    private static SQLException internal(RuntimeException e) {
        return new SQLException("internal error in Reverso (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")) + ")", "XX000", e);
    }

    /** Puts back the history row a failed first step replaced: the earlier row, or none. */
    private void restore(String version, Optional<HistoryRow> previous) throws SQLException {
        if (previous.isPresent()) {
            ledger.history().write(c(), previous.get());
        } else {
            ledger.history().delete(c(), version);
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
