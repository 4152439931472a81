package dev.reverso.cli;

import dev.reverso.ReversoException;
import dev.reverso.lint.LintInputs;
import dev.reverso.lint.LintReport;
import dev.reverso.lint.LintSettings;
import dev.reverso.lint.Linter;
import dev.reverso.lint.Severity;
import dev.reverso.lint.rules.Rules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "lint", description = {"Check migrations for hazards: each finding with its rule, lock, why it hurts and the safe rewrite.",
    "Lints the migrations folder (--dir) unless files or folders are given. Formats: text, json, sarif, github.",
    "With --url, reads the live database (server version, table sizes) and estimates each lock's duration."})
final class LintCommand implements Callable<Integer> {

    @ParentCommand
    ReversoCommand root;

    @Parameters(paramLabel = "FILES|DIR", arity = "0..*", description = "migration files or folders (default: --dir)")
    List<Path> paths;

    @Option(names = "--fail-on", defaultValue = "warning", paramLabel = "SEVERITY",
            description = "exit 1 when a finding is at least this severe: info, warning, error (default: ${DEFAULT-VALUE})")
    String failOn;

    @Option(names = "--pg-version", defaultValue = "15", paramLabel = "MAJOR",
            description = "the target server's major version, when not connected (default: ${DEFAULT-VALUE})")
    int pgVersion;

    @Option(names = "--big-table-rows", defaultValue = "100000", paramLabel = "N",
            description = "connected mode (--url): below N rows (and 64 MB) a hazard that grows with the table is only info (default: ${DEFAULT-VALUE})")
    long bigTableRows;

    @Option(names = "--disable", split = ",", paramLabel = "RULE", description = "rules not to run (comma-separated)")
    List<String> disable = List.of();

    @Option(names = "--severity", split = ",", paramLabel = "RULE=LEVEL", description = "change a rule's severity, e.g. drop-column=error")
    Map<String, String> severity = Map.of();

    @Override
    public Integer call() {
        Severity failLevel = severity(failOn, "--fail-on");
        Map<String, Severity> levels = new HashMap<>();
        severity.forEach((rule, level) -> levels.put(rule, severity(level, "--severity " + rule)));
        Set<String> known = new HashSet<>(Rules.all().stream().map(r -> r.id()).toList());
        known.addAll(List.of(Linter.SYNTAX_ERROR, Linter.UNKNOWN_STATEMENT, Linter.SUPPRESSION_WITHOUT_REASON));
        for (String id : concat(disable, levels.keySet())) {
            if (!known.contains(id)) {
                throw new ReversoException(ReversoException.Kind.BAD_INPUT, "unknown rule '" + id + "' (see docs/rules/)");
            }
        }
        LintSettings settings = LintSettings.defaults().withServerMajor(pgVersion).withDisabled(Set.copyOf(disable))
                .withSeverities(levels).withRunnerTimeouts(true, !root.statementTimeout.isZero());
        List<Path> inputs = paths == null || paths.isEmpty() ? List.of(root.dir) : paths;
        List<Linter.Source> sources = LintInputs.read(inputs);
        // Connected mode only with an explicit --url: a DATABASE_URL meant for the application
        // should not make a CI lint step depend on reaching a database.
        LintReport report = root.url != null ? root.reverso().lint(sources, settings, bigTableRows)
                : new Linter(Rules.all(), settings).lint(sources);
        Terminal t = root.terminal;
        switch (root.format) {
            case json -> LintJson.print(t.out(), report);
            case sarif -> new Json().print(t.out(), Sarif.of(report, Rules.all()));
            case github -> GithubAnnotations.print(t.out(), report);
            default -> LintText.print(t, report);
        }
        return report.fails(failLevel) ? ExitCode.CHECK_FAILED : ExitCode.DONE;
    }

    private static Severity severity(String text, String option) {
        try {
            return Severity.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ReversoException(ReversoException.Kind.BAD_INPUT, option + ": " + e.getMessage());
        }
    }

    private static List<String> concat(List<String> a, Set<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
