package dev.reverso;

import java.util.List;

/**
 * What {@code up} or {@code down} did.
 *
 * @param direction which way it ran
 * @param migrations the migrations it ran, in the order it ran them
 * @param totalMs the whole run, including taking the runner lock
 */
public record RunResult(Event.Direction direction, List<Ran> migrations, long totalMs) {

    /** One migration that ran. */
    public record Ran(String version, String name, boolean transactional, int statements, long durationMs) {
    }
}
