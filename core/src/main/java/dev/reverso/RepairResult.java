package dev.reverso;

import dev.reverso.history.MigrationState;
import dev.reverso.history.StepRow;

import java.util.List;

/**
 * What {@code repair} found and did.
 *
 * @param version the dirty migration's version, or null when nothing is dirty
 * @param name its name
 * @param state its state before the repair
 * @param direction the way it was running when it stopped
 * @param totalSteps how many statements its script has
 * @param journal the journaled steps, in order
 * @param error the error it stopped with, if it failed
 * @param action what the repair did, or {@code INSPECT} when it only looked
 * @param outcome one line saying what was done, or what the options are
 */
public record RepairResult(String version, String name, MigrationState state, Event.Direction direction, int totalSteps,
                           List<StepRow> journal, String error, Action action, String outcome) {

    /** What a repair can do. */
    public enum Action { INSPECT, MARK_APPLIED, MARK_ROLLED_BACK, RESUME }

    /** Nothing was dirty. */
    public static RepairResult clean() {
        return new RepairResult(null, null, null, null, 0, List.of(), null, Action.INSPECT, "nothing to repair: no migration is dirty");
    }
}
