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

    /**
     * One migration that ran.
     *
     * @param archive what the archive did for it: what its up steps preserved, or what its down put
     *                back and could not put back, one line each
     */
    public record Ran(String version, String name, boolean transactional, int statements, long durationMs, List<String> archive) {

        public Ran {
            archive = List.copyOf(archive);
        }

        public Ran(String version, String name, boolean transactional, int statements, long durationMs) {
            this(version, name, transactional, statements, durationMs, List.of());
        }
    }
}
