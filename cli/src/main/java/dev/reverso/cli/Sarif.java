package dev.reverso.cli;

import dev.reverso.lint.Finding;
import dev.reverso.lint.LintReport;
import dev.reverso.lint.Rule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Lint findings as SARIF 2.1.0, for code-scanning tools (GitHub code scanning and others). */
final class Sarif {

    private Sarif() {
    }

    static Map<String, Object> of(LintReport report, List<Rule> rules) {
        List<Map<String, Object>> ruleDescriptors = new ArrayList<>();
        for (Rule r : rules) {
            ruleDescriptors.add(Map.of("id", r.id(),
                    "shortDescription", Map.of("text", r.id().replace('-', ' ')),
                    "helpUri", "docs/rules/" + r.id() + ".md",
                    "defaultConfiguration", Map.of("level", level(r.severity()))));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (Finding f : report.findings()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ruleId", f.ruleId());
            result.put("level", level(f.severity()));
            result.put("message", Map.of("text", f.message() + ". Fix: " + f.rewrite()));
            result.put("locations", List.of(Map.of("physicalLocation", Map.of(
                    "artifactLocation", Map.of("uri", f.file().replace('\\', '/')),
                    "region", Map.of("startLine", f.line(), "startColumn", f.column())))));
            result.put("properties", Map.of("lock", f.lock().sqlName(), "blocks", f.blocks(), "statement", f.statement()));
            results.add(result);
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "reverso");
        driver.put("rules", ruleDescriptors);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", Map.of("driver", driver));
        run.put("results", results);
        Map<String, Object> sarif = new LinkedHashMap<>();
        sarif.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        sarif.put("version", "2.1.0");
        sarif.put("runs", List.of(run));
        return sarif;
    }

    private static String level(dev.reverso.lint.Severity s) {
        return switch (s) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO -> "note";
        };
    }
}
