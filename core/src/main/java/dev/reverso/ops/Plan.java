package dev.reverso.ops;

import java.util.List;

/**
 * What an operation migration does in each phase, computed once against the live schema.
 *
 * @param versionSchema the schema of views that presents the new version
 * @param previousSchema the schema of the version being replaced, dropped on complete; null when the
 *                       old version is the tables themselves
 * @param start the expand phase, in order
 * @param complete the contract phase, in order
 * @param rollback what undoes the expand phase, in order; each step is safe to run when the step it
 *                 undoes never ran
 */
public record Plan(String versionSchema, String previousSchema, List<Action> start, List<Action> complete,
                   List<Action> rollback) {

    public Plan {
        start = List.copyOf(start);
        complete = List.copyOf(complete);
        rollback = List.copyOf(rollback);
    }

    /** The steps of one phase. */
    public List<Action> steps(Phase phase) {
        return switch (phase) {
            case START -> start;
            case COMPLETE -> complete;
            case ROLLBACK -> rollback;
        };
    }

    /** The three phases an operation migration goes through. */
    public enum Phase { START, COMPLETE, ROLLBACK }
}
