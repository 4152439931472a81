package dev.reverso.release;

import java.util.Locale;

/** A condition a run must meet before a migration of some risk level may run. */
public enum Gate {
    /** A snapshot taken first ({@code up --snapshot}), or archiving on (not {@code --no-archive}). */
    SNAPSHOT_OR_ARCHIVE("a snapshot (--snapshot) or archiving (no --no-archive)"),
    /** The preflight runs (and a failing one stops the run anyway): not {@code --no-preflight}. */
    PREFLIGHT("a passing preflight (no --no-preflight)"),
    /** A named approver: {@code --approved-by NAME}, recorded in the audit trail. */
    APPROVAL("an approver (--approved-by NAME)"),
    /** The migrations applied, rolled back and applied again on a scratch database without a difference. */
    ROUNDTRIP("a roundtrip check on a scratch database");

    private final String requirement;

    Gate(String requirement) {
        this.requirement = requirement;
    }

    /** What the gate requires, as a user would fulfil it. */
    public String requirement() {
        return requirement;
    }

    /** The name in the config: {@code snapshot_or_archive}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the gates when the text is none of them */
    public static Gate parse(String text) {
        for (Gate g : values()) {
            if (g.key().equals(text.trim().toLowerCase(Locale.ROOT).replace('-', '_'))) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown gate '" + text + "' (snapshot_or_archive, preflight, approval, roundtrip)");
    }
}
