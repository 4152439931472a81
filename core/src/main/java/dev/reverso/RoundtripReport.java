package dev.reverso;

import dev.reverso.catalog.SchemaSnapshot;

import java.util.List;

/**
 * What {@code check --roundtrip} found: each migration applied, rolled back and applied again on a
 * scratch database, with the schema compared at each step.
 *
 * @param scratch the scratch database used (dropped after)
 * @param migrations one entry per migration, in version order, up to the first that failed or whose down
 *                   did not restore the schema (the ones after it cannot be tested on that schema)
 */
public record RoundtripReport(String scratch, List<Checked> migrations) {

    /** How a migration's roundtrip went. */
    public enum Outcome {
        /** down restored the schema before up, and up again gave the same schema as the first time. */
        OK,
        /** down left a schema that differs from the one before up. */
        DOWN_DIFFERS,
        /** up after down gave a different schema from the first up. */
        REAPPLY_DIFFERS,
        /** no down to test. */
        NO_DOWN,
        /** an operation migration: start then complete, which has no down to test. */
        NOT_REVERSIBLE,
        /** up, down or up again failed. */
        FAILED
    }

    /**
     * @param differences what differs, for DOWN_DIFFERS and REAPPLY_DIFFERS
     * @param error the failure, for FAILED
     */
    public record Checked(String version, String name, Outcome outcome, List<SchemaSnapshot.Difference> differences,
                          String error) {
    }

    public boolean passed() {
        return migrations.stream().allMatch(m -> m.outcome() == Outcome.OK || m.outcome() == Outcome.NOT_REVERSIBLE);
    }
}
