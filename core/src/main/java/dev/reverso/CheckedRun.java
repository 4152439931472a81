package dev.reverso;

/**
 * A run with the checks made around it.
 *
 * @param preflight the checks made before it, or null when skipped (asked not to, or nothing to run)
 * @param result what the run did, or null when a failing preflight stopped it before anything changed
 * @param verify the checks made after it, or null when skipped (asked not to, or nothing changed)
 * @param <T> what the run returns
 */
public record CheckedRun<T>(PreflightReport preflight, T result, VerifyReport verify) {

    /** Whether a failing preflight stopped the run: nothing changed. */
    public boolean stopped() {
        return result == null;
    }

    /** Whether verify found a problem after the run: the run's changes stay. */
    public boolean verifyFailed() {
        return verify != null && !verify.failures().isEmpty();
    }
}
