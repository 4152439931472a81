package dev.reverso.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process and captures what a user would see. */
final class Cli {

    record Outcome(int exit, String out, String err) {
    }

    private Cli() {
    }

    /** Runs a command against a database and a migrations folder. */
    static Outcome against(String url, java.nio.file.Path dir, String... command) {
        String[] args = new String[command.length + 4];
        args[0] = "--url";
        args[1] = url;
        args[2] = "--dir";
        args[3] = dir.toString();
        System.arraycopy(command, 0, args, 4, command.length);
        return run(args);
    }

    static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        int exit = Main.run(terminal, args);
        return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
