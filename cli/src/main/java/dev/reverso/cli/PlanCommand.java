package dev.reverso.cli;

import dev.reverso.PlanReport;
import dev.reverso.release.GatePolicy;
import dev.reverso.release.Risk;
import dev.reverso.source.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "plan", description = {"Dry run: each pending migration's statements with the lock each takes and whether it runs",
    "in a transaction; the transactional ones are executed in a transaction that is rolled back."})
final class PlanCommand implements Callable<Integer> {

    @ParentCommand
    ReversoCommand root;

    @Option(names = "--to", paramLabel = "VERSION", converter = VersionConverter.class, description = "plan up to this version")
    Version to;

    @Option(names = "--trace", description = {"run the pending migrations on a scratch copy of the schema (pg_dump, no data)",
        "and report the locks each statement really took and the tables it rewrote, beside the static view"})
    boolean trace;

    @Option(names = "--runbook", description = {"print the runbook of the pending migrations (markdown): steps with lock and",
        "estimated duration, what the application must tolerate, how to roll back, what to do if a step fails"})
    boolean runbook;

    @Override
    public Integer call() {
        if (runbook) {
            return RunbookOutput.print(root, root.reverso().runbook(Optional.ofNullable(to)));
        }
        if (trace) {
            return TraceOutput.print(root, root.reverso().trace(Optional.ofNullable(to)));
        }
        PlanReport report = root.reverso().plan(Optional.ofNullable(to));
        ReleaseSettings release = root.release();
        Map<String, Risk> risks = new HashMap<>();
        root.reverso().risks(Optional.ofNullable(to), release.thresholds()).forEach(r -> risks.put(r.version(), r));
        Terminal t = root.terminal;
        if (root.format == Format.json) {
            Json json = new Json();
            com.fasterxml.jackson.databind.JsonNode tree = json.tree(report);
            tree.path("migrations").forEach(m -> ((com.fasterxml.jackson.databind.node.ObjectNode) m).set("risk",
                    json.tree(risks.get(m.path("version").asText()))));
            json.print(t.out(), tree);
            return report.hasErrors() ? ExitCode.CHECK_FAILED : ExitCode.DONE;
        }
        if (report.migrations().isEmpty()) {
            t.out().println("nothing to plan: no pending migration");
        }
        for (PlanReport.PlannedMigration m : report.migrations()) {
            t.out().println(t.bold(m.version() + "_" + m.name()) + "  "
                    + (m.checked().startsWith("operation migration") ? "expand/contract: each step its own short transaction"
                    : m.transactional() ? "one transaction" : "step by step, outside a transaction"));
            Table table = new Table("LINE", "LOCK", "BLOCKS", "ON", "STATEMENT");
            for (PlanReport.PlannedStatement s : m.statements()) {
                table.row(s.line(), s.lock() + (s.lockCertain() ? "" : "?"), s.blocks(),
                        s.targets().isEmpty() ? "-" : String.join(", ", s.targets()), s.sql());
            }
            if (!table.isEmpty()) {
                table.print(t.out());
            }
            for (PlanReport.PlannedStatement s : m.statements()) {
                if (s.archive() != null) {
                    t.out().println("line " + s.line() + ": " + (s.archive().startsWith("not archived") ? t.yellow(s.archive()) : s.archive()));
                }
            }
            RiskText.print(t, risks.get(m.version()), release.gates().orElse(GatePolicy.defaults()), release.gates().isPresent());
            String checked = m.error() != null ? t.red("dry run failed: " + m.error())
                    : m.checked().equals("ok") ? t.green("dry run ok (rolled back)") : m.checked();
            t.out().println(checked);
            t.out().println();
        }
        return report.hasErrors() ? ExitCode.CHECK_FAILED : ExitCode.DONE;
    }
}
