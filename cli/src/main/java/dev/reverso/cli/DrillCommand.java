package dev.reverso.cli;

import dev.reverso.Database;
import dev.reverso.DatabaseUrl;
import dev.reverso.MigrationStatus;
import dev.reverso.RepairResult;
import dev.reverso.Reverso;
import dev.reverso.ReversoException;
import dev.reverso.StatusReport;
import dev.reverso.engine.Script;
import dev.reverso.source.Migration;
import dev.reverso.source.MigrationFolder;
import dev.reverso.source.Version;
import dev.reverso.sql.Classifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A crash drill on a scratch database: applies the migrations before VERSION, runs up --to
 * VERSION in a child process, kills it with SIGKILL at a chosen statement, then shows the state
 * it left, the repair options, runs the recommended one and shows the final status.
 */
@Command(name = "drill", description = {"Practise recovering from a runner killed mid-migration, on a scratch database.",
    "Applies the migrations before VERSION, runs 'up --to VERSION' in a child process, SIGKILLs it at a statement,"
        + " then shows status, the repair options, runs the recommended one and shows the final status.",
    "Refuses (exit 2) unless the database is given with --url and has no history at or after VERSION"
        + " (or --yes-this-is-scratch is passed)."})
final class DrillCommand implements Callable<Integer> {

    @ParentCommand
    ReversoCommand root;

    @Parameters(paramLabel = "VERSION", converter = VersionConverter.class, description = "the migration to crash")
    Version version;

    @Option(names = "--kill-at", paramLabel = "STEP|random", defaultValue = "random",
            description = "the statement (1-based) during which the runner is killed, or random (default: ${DEFAULT-VALUE})")
    String killAt;

    @Option(names = "--yes-this-is-scratch", negatable = false,
            description = "drill even though the database has history at or after VERSION")
    boolean scratch;

    /** What --format json prints. */
    record Summary(String version, int killedAtStep, String stateAfterKill, String repair, String finalState) {
    }

    @Override
    public Integer call() throws Exception {
        Terminal t = root.terminal;
        boolean text = root.format != Format.json;
        if (root.url == null || root.env != null) {
            throw ReversoException.badInput("drill needs the scratch database named explicitly with --url");
        }
        Reverso reverso = root.reverso();
        Migration migration = new MigrationFolder(root.dir).read().find(version)
                .orElseThrow(() -> ReversoException.badInput("no migration " + version + " in " + root.dir));
        if (migration.kind() != Migration.Kind.SQL) {
            throw ReversoException.badInput("drill runs SQL migrations; " + migration.label() + " is an operation migration");
        }
        Script script = Script.parse(migration.upFile(), migration.upSql(), migration.noTransaction(), new Classifier());
        int statements = script.steps().size();
        int step = killStep(statements);
        StatusReport before = reverso.status();
        refuseLiveLooking(before);

        Optional<Version> previous = before.migrations().stream().map(m -> Version.parse(m.version()))
                .filter(v -> v.compareTo(version) < 0).max(Comparator.naturalOrder());
        if (previous.isPresent()) {
            say(text, t.bold("Applying the migrations before " + version));
            reverso.up(previous);
        } else {
            reverso.init();
        }
        String label = version + "_" + migration.name();
        say(text, t.bold("Running up --to " + version + " in a child process; killing it at step " + step + " of " + statements
                + " (" + (script.autocommit() ? "step by step, outside a transaction" : "in one transaction") + ")"));
        Drill drill = new Drill(root, new Database(DatabaseUrl.parse(root.url), "reverso-drill"),
                reverso.config().applicationName(), line -> say(text, line));
        Drill.Kill kill = drill.crash(version, label, step, statements, !script.autocommit());
        drill.awaitSessionsEnded(kill.sessions());
        if (kill.step() == 0) {
            say(text, "the runner ended by itself (exit " + kill.exit() + ") before step " + step);
        }

        MigrationStatus after = showStatus(text, reverso, "Status after the kill");
        String repair = explain(text, t, after, script.autocommit(), kill.step());
        if (repair.equals("repair --resume")) {
            RepairResult result = reverso.repair(RepairResult.Action.RESUME);
            say(text, "reverso repair --resume: " + result.outcome());
        } else if (repair.equals("up")) {
            int applied = reverso.up(Optional.of(version)).migrations().size();
            say(text, "reverso up --to " + version + ": applied " + applied);
        }
        MigrationStatus last = showStatus(text, reverso, "Final status");
        boolean done = last.state() == MigrationStatus.State.APPLIED;
        String finalState = state(last);
        if (text) {
            t.out().println(done ? t.green("drill complete: " + label + " is applied; the recovery has been practised")
                    : t.red("drill ended with " + label + " " + finalState));
        } else {
            new Json().print(t.out(), new Summary(version.toString(), kill.step(), state(after),
                    repair, finalState));
        }
        return done ? ExitCode.DONE : ExitCode.MIGRATION_FAILED;
    }

    private int killStep(int statements) {
        if (killAt.equals("random")) {
            return ThreadLocalRandom.current().nextInt(1, statements + 1);
        }
        try {
            int step = Integer.parseInt(killAt);
            if (step >= 1 && step <= statements) {
                return step;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw ReversoException.badInput("--kill-at: expected a step from 1 to " + statements + " or random, got " + killAt);
    }

    /**
     * A live database has history at or after VERSION (or something dirty); a scratch one has
     * at most the versions before it applied.
     */
    private void refuseLiveLooking(StatusReport report) {
        Optional<MigrationStatus> beyond = report.migrations().stream()
                .filter(m -> Version.parse(m.version()).compareTo(version) >= 0 && m.state() != MigrationStatus.State.PENDING)
                .findFirst();
        if ((beyond.isPresent() || report.dirty()) && !scratch) {
            throw ReversoException.badInput(DatabaseUrl.parse(root.url).display() + " looks like a live database ("
                    + beyond.map(m -> m.version() + " is " + state(m)).orElse("it is dirty")
                    + "): drill only on a scratch database, or pass --yes-this-is-scratch");
        }
        MigrationStatus target = Drill.find(report, version);
        if (report.dirty() || target != null && target.state() != MigrationStatus.State.PENDING
                && target.state() != MigrationStatus.State.ROLLED_BACK) {
            throw ReversoException.badInput(report.dirty() ? "the database is dirty: run reverso repair before a drill"
                    : version + " is " + state(target) + " here: a drill needs it pending or rolled back");
        }
    }

    private MigrationStatus showStatus(boolean text, Reverso reverso, String title) {
        say(text, root.terminal.bold(title) + " (reverso status):");
        if (text) {
            StatusCommand status = new StatusCommand();
            status.root = root;
            status.call();
        }
        return Drill.find(reverso.status(), version);
    }

    /** Says what state the kill left and why, lists the repairs that apply, and returns the one to run. */
    private String explain(boolean text, Terminal t, MigrationStatus after, boolean stepByStep, int killed) {
        MigrationStatus.State state = after.state();
        String repair;
        if (state.dirty()) {
            say(text, "State: dirty, " + state(after) + ". The migration runs step by step outside a transaction: the steps"
                    + " before " + killed + " committed one by one, step " + killed + " was running when the runner died.");
            say(text, "Options:");
            say(text, "  reverso repair                    shows which steps are done");
            say(text, "  reverso repair --resume           checks the done steps, runs the rest (recommended)");
            say(text, "  reverso repair --mark-applied     only if you finished the remaining steps by hand");
            say(text, "  reverso repair --mark-rolled-back only if you undid the done steps by hand");
            repair = "repair --resume";
        } else if (state == MigrationStatus.State.PENDING || state == MigrationStatus.State.ROLLED_BACK) {
            say(text, "State: " + state(after) + ", nothing applied. " + (stepByStep ? "The runner died before its first step committed."
                    : "The migration runs in one transaction: the server rolled it back when the runner's session ended."));
            say(text, "Options: nothing to repair; run reverso up again (recommended).");
            repair = "up";
        } else {
            say(text, "State: " + state(after) + "; nothing to repair.");
            repair = "none";
        }
        if (!repair.equals("none")) {
            say(text, t.bold("Running the recommended repair: reverso " + repair));
        }
        return repair;
    }

    private static String state(MigrationStatus m) {
        return m.describe();
    }

    private void say(boolean text, String line) {
        if (text) {
            root.terminal.out().println(line);
        }
    }
}
