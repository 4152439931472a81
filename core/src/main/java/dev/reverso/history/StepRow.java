package dev.reverso.history;

import java.time.Instant;

/** One journaled statement of a migration run step by step. Steps count from 1. */
public record StepRow(String version, String direction, int step, String statement, int line, State state,
                      Instant startedAt, Instant finishedAt, String error) {

    /** A step is journaled as running before it is sent, and done or failed after. */
    public enum State { RUNNING, DONE, FAILED }
}
