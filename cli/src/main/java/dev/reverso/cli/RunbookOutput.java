package dev.reverso.cli;

import dev.reverso.Runbook;

import java.io.PrintStream;

/** Renders {@code plan --runbook} as markdown, for a change review. */
final class RunbookOutput {

    private RunbookOutput() {
    }

    static int print(ReversoCommand root, Runbook runbook) {
        PrintStream out = root.terminal.out();
        if (root.format == Format.json) {
            new Json().print(out, runbook);
            return ExitCode.DONE;
        }
        out.println("# Migration runbook");
        out.println();
        out.println("Target: `" + runbook.database() + "`");
        if (runbook.migrations().isEmpty()) {
            out.println();
            out.println("Nothing pending.");
        }
        for (Runbook.Entry m : runbook.migrations()) {
            out.println();
            out.println("## " + m.version() + "_" + m.name());
            out.println();
            boolean operations = !m.steps().isEmpty() && m.steps().get(0).sql().startsWith("start ");
            out.println("- Runs " + (operations ? "as an operation migration: reverso start (expand), then reverso complete (contract);"
                    + " each step its own short transaction"
                    : m.transactional() ? "in one transaction" : "step by step, each statement on its own (outside a transaction)"));
            out.println("- The application must tolerate: " + m.tolerate());
            out.println("- Rollback: " + m.rollback());
            out.println();
            out.println("| step | line | statement | lock | blocks | estimated duration |");
            out.println("|---:|---:|---|---|---|---|");
            for (Runbook.RunbookStep s : m.steps()) {
                out.println("| " + s.number() + " | " + s.line() + " | `" + s.sql().replace("|", "\\|") + "` | " + s.lock() + " | "
                        + s.blocks() + " | " + s.duration() + " |");
            }
            for (Runbook.RunbookStep s : m.steps()) {
                out.println();
                out.println("**Step " + s.number() + "**");
                for (String f : s.findings()) {
                    out.println("- Lint: " + f);
                }
                out.println("- If it fails: " + s.ifItFails());
            }
        }
        return ExitCode.DONE;
    }
}
