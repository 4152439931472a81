package dev.reverso;

import java.util.List;

/** What {@code validate} found; empty means the folder and the history agree. */
public record ValidationReport(List<Finding> findings) {

    public boolean ok() {
        return findings.isEmpty();
    }

    /**
     * @param type what sort of problem
     * @param version the version concerned, or null
     * @param file the file concerned, or null
     * @param message one line
     */
    public record Finding(Type type, String version, String file, String message) {
    }

    /** The sorts of problem validate reports. */
    public enum Type { CHECKSUM_DRIFT, MISSING_DOWN, MISSING_FILE, GAP, OUT_OF_ORDER, DUPLICATE_VERSION, MALFORMED_NAME,
        UNREADABLE, MISSING_UP, DIRTY, DOWN_CHANGED }
}
