package dev.reverso.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Judges each pending migration's gates: what its risk level requires (by the policy) against
 * what the run offers. The roundtrip check is costly (a scratch database), so it runs once, and
 * only when a migration needs it and meets its other gates.
 */
public final class ReleaseGates {

    private ReleaseGates() {
    }

    /**
     * What a run offers towards the gates.
     *
     * @param snapshot   a snapshot is taken first
     * @param archiving  archiving is on
     * @param preflight  the preflight runs (a failing one stops the run)
     * @param approvedBy who approved it, if anybody
     */
    public record Offered(boolean snapshot, boolean archiving, boolean preflight, Optional<String> approvedBy) { }

    /**
     * One gate of one migration.
     *
     * @param detail how it was met, or why not
     */
    public record Outcome(String version, String name, RiskLevel level, Gate gate, boolean met, String detail) {

        /** One line naming the migration, its level, the gate and the outcome. */
        public String describe() {
            return version + "_" + name + " (" + level.label() + " risk) requires " + gate.requirement() + ": "
                    + (met ? "met" : "not met") + (detail == null ? "" : " (" + detail + ")");
        }
    }

    /**
     * Every required gate of every migration, in order.
     *
     * @param roundtrip runs the roundtrip check; empty when it passed, else why it failed
     */
    public static List<Outcome> judge(List<Risk> risks, GatePolicy policy, Offered offered, Supplier<Optional<String>> roundtrip) {
        List<Outcome> out = new ArrayList<>();
        Optional<String> roundtripFailure = null;
        for (Risk r : risks) {
            List<Outcome> mine = new ArrayList<>();
            boolean needsRoundtrip = false;
            for (Gate g : policy.of(r.level())) {
                switch (g) {
                    case SNAPSHOT_OR_ARCHIVE -> mine.add(outcome(r, g, offered.snapshot() || offered.archiving(),
                            offered.snapshot() ? "snapshot" : offered.archiving() ? "archiving on" : null));
                    case PREFLIGHT -> mine.add(outcome(r, g, offered.preflight(), null));
                    case APPROVAL -> mine.add(outcome(r, g, offered.approvedBy().isPresent(),
                            offered.approvedBy().map(n -> "approved by " + n).orElse(null)));
                    case ROUNDTRIP -> needsRoundtrip = true;
                }
            }
            if (needsRoundtrip) {
                if (mine.stream().allMatch(Outcome::met)) {
                    if (roundtripFailure == null) {
                        roundtripFailure = roundtrip.get();
                    }
                    mine.add(outcome(r, Gate.ROUNDTRIP, roundtripFailure.isEmpty(), roundtripFailure.orElse("passed")));
                } else {
                    mine.add(outcome(r, Gate.ROUNDTRIP, false, "not run: other gates are not met"));
                }
            }
            out.addAll(mine);
        }
        return out;
    }

    private static Outcome outcome(Risk r, Gate g, boolean met, String detail) {
        return new Outcome(r.version(), r.name(), r.level(), g, met, detail);
    }
}
