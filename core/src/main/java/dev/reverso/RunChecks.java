package dev.reverso;

/**
 * The checks a run makes around itself: a preflight before anything changes, and a verify after
 * it, each skippable.
 *
 * @param preflight run the preflight checks before the run; a failing one stops it
 * @param verify run verify after a run that changed something
 */
public record RunChecks(boolean preflight, boolean verify) {

    /** Both checks, as the command line runs them by default. */
    public static RunChecks all() {
        return new RunChecks(true, true);
    }

    /** Neither check: the run alone, as library callers and the round-trip check run it. */
    public static RunChecks none() {
        return new RunChecks(false, false);
    }
}
