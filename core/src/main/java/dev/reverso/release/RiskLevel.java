package dev.reverso.release;

import java.util.Locale;

/** How much can go wrong with a migration, lowest first. */
public enum RiskLevel {
    /** Additive only: new objects, nothing existing locked in a way that blocks for long. */
    LOW,
    /** Blocks a small table briefly, or lint warns. */
    MEDIUM,
    /** Destroys data (archived first), rewrites or takes ACCESS EXCLUSIVE on a big table, or lint finds an error. */
    HIGH,
    /** Destroys data that cannot be archived, cannot be taken back, or rewrites a huge table. */
    CRITICAL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the levels when the text is none of them */
    public static RiskLevel parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown risk level '" + text + "' (low, medium, high, critical)");
        }
    }
}
