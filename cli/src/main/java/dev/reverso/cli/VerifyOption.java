package dev.reverso.cli;

import picocli.CommandLine.Option;

/** {@code --no-verify}, for the commands that verify the database after they changed it. */
final class VerifyOption {

    @Option(names = "--no-verify", description = "skip verify after the run (invalid indexes, constraints the data fails,"
            + " sequences, *.verify.sql, the schema against the migrations)")
    boolean skip;
}
