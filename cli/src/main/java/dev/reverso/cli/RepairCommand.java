package dev.reverso.cli;

import dev.reverso.RepairResult;
import dev.reverso.history.StepRow;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "repair", description = {"Recover a dirty migration (failed or interrupted part way).",
    "Without an option it shows which steps were done; each option refuses when the live database contradicts it."})
final class RepairCommand implements Callable<Integer> {

    @ParentCommand
    ReversoCommand root;

    @ArgGroup(exclusive = true)
    Choice choice;

    static final class Choice {
        @Option(names = "--mark-applied", description = "record it as applied (its effects must all be in the database)")
        boolean markApplied;

        @Option(names = "--mark-rolled-back", description = "record it as not applied (none of its effects may be left)")
        boolean markRolledBack;

        @Option(names = "--resume", description = "run the remaining steps, after checking the done ones")
        boolean resume;
    }

    @Override
    public Integer call() {
        RepairResult.Action action = choice == null ? RepairResult.Action.INSPECT
                : choice.markApplied ? RepairResult.Action.MARK_APPLIED
                : choice.markRolledBack ? RepairResult.Action.MARK_ROLLED_BACK : RepairResult.Action.RESUME;
        RepairResult result = root.reverso().repair(action);
        Terminal t = root.terminal;
        if (root.format == Format.json) {
            new Json().print(t.out(), result);
            return ExitCode.DONE;
        }
        if (result.version() != null) {
            t.out().println(t.bold(result.version() + "_" + result.name()) + " was " + result.state().dbValue().replace('_', ' ')
                    + " (" + (result.direction() == dev.reverso.Event.Direction.UP ? "up" : "down") + ", "
                    + result.totalSteps() + " steps)" + (result.error() != null ? ": " + result.error() : ""));
            Table table = new Table("STEP", "LINE", "STATE", "STATEMENT");
            for (StepRow s : result.journal()) {
                String flat = s.statement().replaceAll("\\s+", " ");
                table.row(s.step(), s.line(), s.state().name().toLowerCase(java.util.Locale.ROOT),
                        flat.length() > 70 ? flat.substring(0, 67) + "..." : flat);
            }
            if (!table.isEmpty()) {
                table.print(t.out());
            }
        }
        t.out().println(result.outcome());
        return ExitCode.DONE;
    }
}
