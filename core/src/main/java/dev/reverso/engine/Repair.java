package dev.reverso.engine;

import dev.reverso.Event.Direction;
import dev.reverso.RepairResult;
import dev.reverso.RepairResult.Action;
import dev.reverso.ReversoException;
import dev.reverso.history.HistoryRow;
import dev.reverso.history.Ledger;
import dev.reverso.history.MigrationState;
import dev.reverso.history.StepRow;
import dev.reverso.sql.Classifier;
import dev.reverso.sql.Identifiers;
import dev.reverso.sql.ObjectChange;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Brings a dirty migration (interrupted or failed part way, step by step) to a clean state, but
 * only to a state the live catalog does not contradict: marking a migration applied while an
 * index it creates does not exist, or rolled back while that index still does, is refused.
 *
 * <p>"Applied" means the up script's effects hold; "rolled back" means they do not. That is what
 * is checked, whichever direction the migration was running in when it stopped.
 */
public final class Repair {

    private final Connection connection;
    private final Ledger ledger;
    private final Runner runner;
    private final Effect effect;
    private final Classifier classifier;

    public Repair(Connection connection, Ledger ledger, Runner runner, Effect effect, Classifier classifier) {
        this.connection = connection;
        this.ledger = ledger;
        this.runner = runner;
        this.effect = effect;
        this.classifier = classifier;
    }

    /** Looks at, or repairs, one dirty migration. */
    public RepairResult run(HistoryRow row, Action action) throws SQLException {
        Direction direction = row.state() == MigrationState.ROLLING_BACK ? Direction.DOWN : Direction.UP;
        Script up = Script.parse("stored up of " + row.version(), row.upSql(), true, classifier);
        Script running = direction == Direction.UP ? up
                : Script.parse("stored down of " + row.version(), row.downSql(), true, classifier);
        List<StepRow> journal = ledger.steps().list(connection, row.version(), direction.dbValue());
        String outcome = switch (action) {
            case INSPECT -> options(row, direction, journal, running.steps().size());
            case MARK_APPLIED -> mark(row, up, MigrationState.APPLIED);
            case MARK_ROLLED_BACK -> mark(row, up, MigrationState.ROLLED_BACK);
            case RESUME -> resume(row, running, journal, direction);
        };
        List<StepRow> after = action == Action.INSPECT ? journal : ledger.steps().list(connection, row.version(), direction.dbValue());
        return new RepairResult(row.version(), row.name(), row.state(), direction, running.steps().size(), after,
                row.error(), action, outcome);
    }

    private String options(HistoryRow row, Direction direction, List<StepRow> journal, int total) {
        long done = journal.stream().filter(s -> s.state() == StepRow.State.DONE).count();
        return row.version() + "_" + row.name() + " stopped " + (direction == Direction.UP ? "applying" : "rolling back")
                + " with " + done + " of " + total + " steps done; choose --resume, --mark-applied or --mark-rolled-back";
    }

    private String mark(HistoryRow row, Script up, MigrationState target) throws SQLException {
        boolean applied = target == MigrationState.APPLIED;
        List<String> contradictions = new ArrayList<>();
        List<Step> invalidIndexes = new ArrayList<>();
        for (Step step : up.steps()) {
            Effect.Seen seen = effect.of(step);
            if (!applied && seen == Effect.Seen.INVALID_INDEX) {
                // Half-built by an interrupted concurrent build: never used, only a cost; rolling back drops it.
                invalidIndexes.add(step);
                continue;
            }
            boolean ifExists = step.classification().change().map(ObjectChange::ifExists).orElse(false);
            String what = "step " + step.number() + " (line " + step.line() + ") " + verb(step) + " " + Effect.object(step);
            if (applied && (seen == Effect.Seen.ABSENT || seen == Effect.Seen.INVALID_INDEX)) {
                contradictions.add(what + ", which " + (seen == Effect.Seen.INVALID_INDEX ? "is invalid (an interrupted concurrent build)"
                        : creates(step) ? "does not exist" : "still exists"));
            } else if (!applied && !ifExists && seen == Effect.Seen.HOLDS) {
                contradictions.add(what + ", which " + (creates(step) ? "still exists" : "is gone"));
            }
        }
        String flag = applied ? "--mark-applied" : "--mark-rolled-back";
        if (!contradictions.isEmpty()) {
            String message = "refusing " + flag + " for " + row.version() + "_" + row.name() + ": "
                    + String.join("; ", contradictions);
            ledger.audit().record(connection, "repair", row.version(), "refused", message);
            throw new ReversoException(ReversoException.Kind.CHECK_FAILED, message);
        }
        for (Step step : invalidIndexes) {
            dropInvalidIndex(row, step);
        }
        ledger.history().transition(connection, row.version(), target, null, null, null);
        String outcome = row.version() + "_" + row.name() + " marked " + target.dbValue().replace('_', ' ')
                + (invalidIndexes.isEmpty() ? "" : ", after dropping the invalid index left by step "
                + invalidIndexes.get(0).number());
        ledger.audit().record(connection, "repair", row.version(), "marked " + target.dbValue(), outcome);
        return outcome;
    }

    private String resume(HistoryRow row, Script script, List<StepRow> journal, Direction direction) throws SQLException {
        Set<Integer> done = journal.stream().filter(s -> s.state() == StepRow.State.DONE).map(StepRow::step)
                .collect(Collectors.toSet());
        List<String> contradictions = new ArrayList<>();
        int from = 1;
        for (Step step : script.steps()) {
            if (!done.contains(step.number())) {
                break;
            }
            Effect.Seen seen = effect.of(step);
            if (seen == Effect.Seen.ABSENT || seen == Effect.Seen.INVALID_INDEX) {
                contradictions.add("the journal says step " + step.number() + " " + verb(step) + " " + Effect.object(step)
                        + ", but it " + (seen == Effect.Seen.INVALID_INDEX ? "is invalid" : creates(step) ? "does not exist" : "still exists"));
            }
            from = step.number() + 1;
        }
        if (!contradictions.isEmpty()) {
            String message = "refusing --resume for " + row.version() + "_" + row.name() + ": " + String.join("; ", contradictions);
            ledger.audit().record(connection, "repair", row.version(), "refused", message);
            throw new ReversoException(ReversoException.Kind.CHECK_FAILED, message);
        }
        from = settleInterruptedStep(row, script, from);
        runner.resume(row, script, from, direction);
        return row.version() + "_" + row.name() + " resumed from step " + from + " and is now "
                + (direction == Direction.UP ? "applied" : "rolled back");
    }

    /**
     * A step PostgreSQL runs only outside a transaction, in flight when the run stopped, may have
     * finished (its effect holds: skip it) or left an invalid index behind (drop it, then run the
     * step again).
     */
    private int settleInterruptedStep(HistoryRow row, Script script, int from) throws SQLException {
        if (from > script.steps().size()) {
            return from;
        }
        Step step = script.steps().get(from - 1);
        if (step.classification().transactional()) {
            // It committed with its journal entry or not at all: not done means not run.
            return from;
        }
        Effect.Seen seen = effect.of(step);
        boolean ifExists = step.classification().change().map(ObjectChange::ifExists).orElse(false);
        if (seen == Effect.Seen.INVALID_INDEX) {
            dropInvalidIndex(row, step);
            return from;
        }
        if (seen == Effect.Seen.HOLDS && !ifExists) {
            // The statement committed but the run died before journaling it as done.
            String direction = row.state() == MigrationState.ROLLING_BACK ? "down" : "up";
            ledger.steps().begin(connection, row.version(), direction, step.number(), step.sql(), step.line());
            ledger.steps().end(connection, row.version(), direction, step.number(), null);
            return from + 1;
        }
        return from;
    }

    /** Drops the invalid index a step's interrupted concurrent build left, without blocking the application. */
    private void dropInvalidIndex(HistoryRow row, Step step) throws SQLException {
        ObjectChange ch = step.classification().change().orElseThrow();
        String drop = "drop index concurrently if exists " + Identifiers.qualified(ch.schema(), ch.name());
        try (Statement st = connection.createStatement()) {
            st.execute(drop);
        }
        ledger.audit().record(connection, "repair", row.version(), "dropped invalid index",
                "step " + step.number() + " left " + Effect.object(step) + " invalid; ran: " + drop);
    }

    private static boolean creates(Step step) {
        return step.classification().change().map(ch -> ch.action() == ObjectChange.Action.CREATE).orElse(false);
    }

    private static String verb(Step step) {
        return creates(step) ? "creates" : "drops";
    }
}
