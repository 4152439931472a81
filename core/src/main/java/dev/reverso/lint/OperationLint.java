package dev.reverso.lint;

import dev.reverso.ops.DocumentError;
import dev.reverso.ops.OpsDocument;
import dev.reverso.sql.LockMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lint for an operation migration (pgroll's JSON or YAML). Its operations are planned by Reverso
 * to take no lock that blocks the application for long, so what is left to find is: a document
 * that will not run (reported as a syntax error with its JSON path), data that complete destroys,
 * and the raw SQL of {@code sql} operations, which is linted as any migration.
 */
final class OperationLint {

    private OperationLint() {
    }

    static boolean handles(String file) {
        String f = file.toLowerCase(Locale.ROOT);
        return f.endsWith(".json") || f.endsWith(".yaml") || f.endsWith(".yml");
    }

    /**
     * Adds the document's own findings and returns its embedded SQL as sources to lint, each named
     * by the file and the JSON path it came from.
     */
    static List<Linter.Source> lint(Linter.Source source, LintSettings settings, List<Finding> findings) {
        OpsDocument doc;
        try {
            doc = OpsDocument.parse(source.file(), source.text());
        } catch (DocumentError e) {
            add(findings, settings, Linter.SYNTAX_ERROR, Severity.ERROR, source.file(), e.getMessage(),
                    "fix the operation document (pgroll's format)");
            return List.of();
        }
        for (OpsDocument.Hazard h : doc.hazards()) {
            add(findings, settings, h.ruleId(), Severity.WARNING, source.file(), h.path() + ": " + h.what(),
                    "keep the data first (copy it, or archive it), and make sure no application version still uses it");
        }
        List<Linter.Source> out = new ArrayList<>();
        for (OpsDocument.EmbeddedSql sql : doc.embeddedSql()) {
            out.add(new Linter.Source(source.file() + " " + sql.path(), sql.sql()));
        }
        return out;
    }

    private static void add(List<Finding> findings, LintSettings settings, String rule, Severity severity, String file,
                            String message, String rewrite) {
        if (settings.disabled().contains(rule)) {
            return;
        }
        findings.add(new Finding(rule, settings.severities().getOrDefault(rule, severity), file, 1, 1, "", LockMode.NONE,
                LockMode.NONE.blocks(), message, rewrite, null, null));
    }
}
