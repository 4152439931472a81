package dev.reverso.cli;

import java.io.PrintStream;

/**
 * Where the CLI writes: results to stdout, progress and errors to stderr, with colour and
 * in-place progress only when stderr is an interactive terminal and NO_COLOR is not set.
 */
final class Terminal {

    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;

    Terminal(PrintStream out, PrintStream err, boolean interactive) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    static Terminal system() {
        boolean tty = System.console() != null && System.getenv("NO_COLOR") == null
                && !"dumb".equals(System.getenv("TERM"));
        return new Terminal(System.out, System.err, tty);
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    boolean interactive() {
        return interactive;
    }

    String bold(String s) {
        return interactive ? "\u001b[1m" + s + "\u001b[0m" : s;
    }

    String red(String s) {
        return interactive ? "\u001b[31m" + s + "\u001b[0m" : s;
    }

    String yellow(String s) {
        return interactive ? "\u001b[33m" + s + "\u001b[0m" : s;
    }

    String green(String s) {
        return interactive ? "\u001b[32m" + s + "\u001b[0m" : s;
    }
}
