package dev.reverso.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reverso.Event;
import dev.reverso.ReversoException;
import dev.reverso.engine.LockTimeoutRetry;
import dev.reverso.engine.LockWaitExhausted;
import dev.reverso.archive.Archiver;
import dev.reverso.engine.Script;
import dev.reverso.engine.Session;
import dev.reverso.engine.Step;
import dev.reverso.engine.StepFailure;
import dev.reverso.history.ExpansionRow;
import dev.reverso.history.ExpansionTable;
import dev.reverso.sql.Classifier;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Locale;

/**
 * Runs the phases of an operation migration's {@link Plan}: each step in order, each finished
 * step recorded (in the step's own transaction when it has one), so that a phase interrupted by
 * a crash or a kill picks up at the step it was in.
 */
public final class Expansion {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Optional<Archiver> archiver;
    private final Session session;
    private final LockTimeoutRetry retry;
    private final ExpansionTable state;
    private final Event.Listener listener;
    private final Classifier classifier;
    private final Backfiller backfiller;

    public Expansion(Session session, LockTimeoutRetry retry, ExpansionTable state, Event.Listener listener,
                     Classifier classifier, BackfillSettings backfill) {
        this(session, retry, state, listener, classifier, backfill, Optional.empty());
    }

    /**
     * @param archiver preserves what complete's steps destroy (the columns and tables the old
     *                 version had); empty when archiving is off
     */
    public Expansion(Session session, LockTimeoutRetry retry, ExpansionTable state, Event.Listener listener,
                     Classifier classifier, BackfillSettings backfill, Optional<Archiver> archiver) {
        this.archiver = archiver;
        this.session = session;
        this.retry = retry;
        this.state = state;
        this.listener = listener;
        this.classifier = classifier;
        this.backfiller = new Backfiller(session.connection(), retry, state, listener, backfill, session.guard());
    }

    /** The plan as stored. */
    public static String toJson(Plan plan) {
        try {
            return JSON.writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a plan always serialises", e);
        }
    }

    /** The plan stored with an expansion. */
    public static Plan plan(ExpansionRow row) {
        try {
            return JSON.readValue(row.plan(), Plan.class);
        } catch (JsonProcessingException e) {
            throw new ReversoException(ReversoException.Kind.BAD_INPUT, "the stored plan of " + row.version()
                    + " cannot be read (" + e.getOriginalMessage() + "); was it written by a newer Reverso?");
        }
    }

    /**
     * Runs the steps of a phase from the first one not yet done.
     *
     * @param row the expansion, already in this phase
     * @throws ReversoException of kind MIGRATION_FAILED naming the step, when a step fails or cannot get its lock
     */
    public void run(ExpansionRow row, Plan.Phase phase) throws SQLException {
        List<Action> steps = plan(row).steps(phase);
        String name = phase.name().toLowerCase(Locale.ROOT);
        for (int i = row.done(); i < steps.size(); i++) {
            Action action = steps.get(i);
            session.guard().pace(row.version() + " " + name + " step " + (i + 1) + " (" + action.what() + ")");
            listener.on(new Event.PhaseStep(row.version(), name, i + 1, steps.size(), action.what()));
            boolean resumed = i == row.done() && (row.backfillKey() != null || row.done() > 0);
            try {
                if (action instanceof Action.Sql sql) {
                    runSql(row.version(), sql, i + 1, resumed, phase == Plan.Phase.COMPLETE ? archiver : Optional.empty());
                } else if (action instanceof Action.Backfill b) {
                    Step step = steps(b.what(), "select 1").get(0);
                    backfiller.run(row.version(), b, step, i == row.done() ? row.backfillKey() : null,
                            i == row.done() ? row.backfillRows() : 0);
                    state.done(session.connection(), row.version(), i + 1);
                }
            } catch (StepFailure f) {
                throw failed(row, name, i, action, f.serverMessage(), f);
            } catch (LockWaitExhausted e) {
                throw failed(row, name, i, action, e.describe(), e);
            }
        }
    }

    private ReversoException failed(ExpansionRow row, String phase, int i, Action action, String why, Exception cause) {
        String next = phase.equals("rollback") ? "run reverso rollback again once the cause is fixed"
                : phase.equals("start") ? "run reverso start again to resume, or reverso rollback to undo it"
                : "run reverso complete again to resume";
        return new ReversoException(ReversoException.Kind.MIGRATION_FAILED, row.version() + " " + phase + " failed at step "
                + (i + 1) + " (" + action.what() + "): " + why + "; the steps before it are done; " + next, cause);
    }

    private void runSql(String version, Action.Sql sql, int number, boolean resumed, Optional<Archiver> archiving)
            throws SQLException, StepFailure, LockWaitExhausted {
        Connection c = session.connection();
        List<Step> steps = steps(sql.what(), String.join(";\n", sql.statements()));
        boolean transactional = steps.stream().allMatch(s -> s.classification().transactional());
        if (!transactional) {
            if (sql.cleanup() != null && resumed) {
                for (Step s : steps(sql.what(), sql.cleanup())) {
                    execute(version, s);
                }
            }
            for (Step s : steps) {
                execute(version, s);
            }
            state.done(c, version, number);
            return;
        }
        boolean blocks = steps.stream().anyMatch(Step::blocksApplication);
        boolean committed = false;
        try {
            if (archiving.isPresent()) {
                captureAhead(version, number, steps, archiving.get());
            }
            runInOneTransaction(version, number, steps, blocks, archiving);
            committed = true;
        } finally {
            if (archiving.isPresent()) {
                archiving.get().settle(session.connection(), List.of(number), committed)
                        .forEach(w -> listener.on(new Event.Warning(version + ": " + w)));
            }
        }
    }

    /**
     * The columns complete drops are copied into the archive before the swap's transaction, in
     * batches, with triggers capturing writes meanwhile: the swap then holds its lock for the
     * catalog change alone (see {@link Archiver#captureAhead}).
     */
    private void captureAhead(String version, int number, List<Step> steps, Archiver archiver) throws SQLException {
        Connection c = session.connection();
        for (Step s : steps) {
            List<String> warnings = archiver.captureAhead(c, version, number, s.statement(),
                    work -> retry.inOwnTransaction(version, s, work), () -> session.guard().pace(version + " archiving for step " + number));
            warnings.forEach(w -> listener.on(new Event.Warning(version + ": " + w)));
        }
    }

    private void runInOneTransaction(String version, int number, List<Step> steps, boolean blocks, Optional<Archiver> archiving)
            throws SQLException, StepFailure, LockWaitExhausted {
        Connection c = session.connection();
        retry.run(version, blocks, timeout -> {
            c.setAutoCommit(false);
            try {
                for (Step s : steps) {
                    try {
                        if (archiving.isPresent()) {
                            Archiver.Prepared prepared = archiving.get().prepare(c, version, number, s.statement());
                            if (prepared.sql() != null) {
                                session.execute(prepared.sql());
                            }
                            archiving.get().finish(c, prepared);
                        } else {
                            session.execute(s);
                        }
                    } catch (SQLException e) {
                        throw new StepFailure(s, e);
                    }
                }
                state.done(c, version, number);
                c.commit();
            } catch (StepFailure | SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    /** One statement in autocommit (a concurrent index build), waiting patiently unless it blocks writes. */
    private void execute(String version, Step s) throws SQLException, StepFailure, LockWaitExhausted {
        retry.run(version, s.blocksApplication(), timeout -> {
            try {
                session.execute(s);
            } catch (SQLException e) {
                throw new StepFailure(s, e);
            }
        });
    }

    private List<Step> steps(String what, String sql) {
        return Script.parse(what, sql, true, classifier).steps();
    }
}
