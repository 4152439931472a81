package dev.reverso;

/**
 * The checks a run makes around itself: a preflight before anything changes, and a verify after
 * it, each skippable; and the performance baseline recorded before a run that has something to
 * run, for {@code verify --perf} to compare with later.
 *
 * @param preflight run the preflight checks before the run; a failing one stops it
 * @param verify run verify after a run that changed something
 * @param baselineStatements how many statements (the top by total time in pg_stat_statements) the
 *                           baseline keeps; 0 keeps none (tables and indexes are still recorded)
 */
public record RunChecks(boolean preflight, boolean verify, int baselineStatements) {

    /** How many statements a baseline keeps unless told otherwise. */
    public static final int BASELINE_STATEMENTS = 500;

    public RunChecks {
        if (baselineStatements < 0) {
            throw ReversoException.badInput("--baseline-statements must be 0 or more");
        }
    }

    /** The checks asked for, with a baseline of the default size. */
    public RunChecks(boolean preflight, boolean verify) {
        this(preflight, verify, BASELINE_STATEMENTS);
    }

    /** Both checks, as the command line runs them by default. */
    public static RunChecks all() {
        return new RunChecks(true, true);
    }

    /** Neither check: the run alone, as library callers and the round-trip check run it. */
    public static RunChecks none() {
        return new RunChecks(false, false);
    }
}
