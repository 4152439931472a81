package dev.reverso.cli;

import picocli.CommandLine.Option;

/** {@code --no-preflight}, for the commands that check before they change the schema. */
final class PreflightOption {

    @Option(names = "--no-preflight", description = "skip the checks before the run (blocking sessions, privileges,"
            + " headroom, replication, leftovers); by default a failing check stops the run before anything changes")
    boolean skip;
}
