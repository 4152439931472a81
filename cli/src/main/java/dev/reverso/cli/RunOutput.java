package dev.reverso.cli;

import dev.reverso.RunResult;

/** The closing summary of {@code up} and {@code down}. */
final class RunOutput {

    private RunOutput() {
    }

    static void print(ReversoCommand root, RunResult result, String verb, String nothing) {
        Terminal t = root.terminal;
        if (root.format == Format.json) {
            new Json().print(t.out(), result);
        } else if (result.migrations().isEmpty()) {
            t.out().println(nothing);
        } else {
            int n = result.migrations().size();
            t.out().println(t.green(verb) + " " + n + " migration" + (n == 1 ? "" : "s") + " in " + result.totalMs() + " ms"
                    + (n <= 5 ? ": " + String.join(", ", result.migrations().stream().map(m -> m.version() + "_" + m.name()).toList()) : ""));
        }
    }
}
