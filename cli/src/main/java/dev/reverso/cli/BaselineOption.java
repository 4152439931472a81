package dev.reverso.cli;

import dev.reverso.RunChecks;
import picocli.CommandLine.Option;

/** {@code --baseline-statements}, for the commands that record a performance baseline before they run. */
final class BaselineOption {

    @Option(names = "--baseline-statements", paramLabel = "N", defaultValue = "" + RunChecks.BASELINE_STATEMENTS,
            description = "the performance baseline taken before the run keeps the top N statements of pg_stat_statements"
                    + " by total time, for verify --perf (default: ${DEFAULT-VALUE}; 0: none, tables and indexes only)")
    int statements;
}
