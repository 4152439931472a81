package dev.reverso.cli;

import dev.reverso.ReversoException;
import picocli.CommandLine;

import java.util.Map;

/** The {@code reverso} program: runs one command and exits with its code. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(Terminal.system(), args));
    }

    /** Runs a command line and returns its exit code; nothing here exits the JVM. */
    static int run(Terminal terminal, String... args) {
        return run(terminal, null, args);
    }

    /** Runs a command line against a target given as a parsed URL (the demo's), instead of --url. */
    static int run(Terminal terminal, dev.reverso.DatabaseUrl target, String... args) {
        ReversoCommand root = new ReversoCommand();
        root.terminal = terminal;
        root.target = target;
        CommandLine cli = new CommandLine(root);
        cli.setOut(new java.io.PrintWriter(terminal.out(), true));
        cli.setErr(new java.io.PrintWriter(terminal.err(), true));
        try {
            ConfigFile config = ConfigFile.find(args);
            config.check(cli);
            cli.setDefaultValueProvider(config);
            root.config = config;
        } catch (ReversoException e) {
            terminal.err().println("reverso: " + terminal.red(e.getMessage()));
            return ExitCode.of(e.kind());
        }
        cli.setParameterExceptionHandler((e, a) -> {
            terminal.err().println("reverso: " + e.getMessage() + " (see reverso " + commandName(e.getCommandLine()) + " --help)");
            return ExitCode.BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ReversoException r) {
                int code = ExitCode.of(r.kind());
                terminal.err().println("reverso: " + terminal.red(r.getMessage()));
                if (root.format == Format.json) {
                    new Json().print(terminal.out(), Map.of("error", r.getMessage(), "kind", r.kind(), "exit", code));
                }
                return code;
            }
            java.util.List<String> command = new java.util.ArrayList<>();
            for (CommandLine.ParseResult p = parseResult; p.hasSubcommand(); p = p.subcommand()) {
                command.add(p.subcommand().commandSpec().name());
            }
            return internalError(terminal, root.format, String.join(" ", command), e);
        });
        return cli.execute(args);
    }

    /** The commands that run migrations: an internal error in one stopped a migration run. */
    private static final java.util.Set<String> RUNS = java.util.Set.of("up", "down", "start", "complete", "rollback", "repair",
            "drill", "demo");

    /**
     * A bug in Reverso (a NullPointerException, an IllegalStateException...) is never a stack
     * trace: one line, as for any failure, and the exit code of a failed run (5) for a command
     * that runs migrations, of a failed check (1) for any other. An internal error inside a
     * migration comes as a {@link ReversoException} naming the migration and the step already.
     */
    static int internalError(Terminal terminal, Format format, String command, Exception e) {
        int code = RUNS.contains(command.split(" ")[0]) ? ExitCode.MIGRATION_FAILED : ExitCode.CHECK_FAILED;
        String message = "internal error in Reverso" + (command.isEmpty() ? "" : " during " + command) + ": " + e.getClass().getName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse(""));
        terminal.err().println("reverso: " + terminal.red(message));
        if (format == Format.json) {
            new Json().print(terminal.out(), Map.of("error", message, "kind", "INTERNAL_ERROR", "exit", code));
        }
        return code;
    }

    private static String commandName(CommandLine cl) {
        String name = cl.getCommandName();
        return name.equals("reverso") ? "" : name;
    }
}
