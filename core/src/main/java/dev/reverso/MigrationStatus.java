package dev.reverso;

import java.time.Instant;

/**
 * One migration as {@code status} shows it: the folder and the database side by side.
 *
 * @param version its version
 * @param name its name
 * @param state where it stands
 * @param detail a few words more for dirty states, such as {@code failed at step 3 of 5 (line 12)}; else null
 * @param appliedAt when it was last applied, or null
 * @param durationMs how long that took, or null
 * @param fileMissing the database has it but the folder no longer does
 * @param checksumChanged the file's checksum differs from the one applied
 * @param hasDown a down exists (in the history for applied ones, in the folder otherwise)
 * @param error the error it stopped with, if any
 */
public record MigrationStatus(String version, String name, State state, String detail, Instant appliedAt,
                              Long durationMs, boolean fileMissing, boolean checksumChanged, boolean hasDown,
                              String error) {

    /** Where a migration stands. */
    public enum State {
        PENDING, APPLIED, ROLLED_BACK,
        /** Being applied by a live runner right now. */
        RUNNING,
        /** Was being applied step by step when its runner died: dirty. */
        INTERRUPTED,
        /** A step failed: dirty. */
        FAILED,
        /** Being rolled back by a live runner right now. */
        ROLLING_BACK,
        /** Its rollback stopped part way (failed or interrupted): dirty. */
        ROLLBACK_INTERRUPTED,
        /** An operation migration whose expand phase is done: the old and the new version are both live. */
        STARTED;

        public boolean dirty() {
            return this == INTERRUPTED || this == FAILED || this == ROLLBACK_INTERRUPTED;
        }
    }

    /** The state as a person reads it, with its detail and flags. */
    public String describe() {
        String s = detail != null ? detail : state.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        if (fileMissing) {
            s += ", file missing";
        }
        if (checksumChanged) {
            s += ", checksum changed";
        }
        return s;
    }
}
