package dev.reverso.lint;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules that {@link Rule#handles handle} each command tag, in the rules' order, worked out
 * once per command seen: asking all 51 rules about every statement of a large file costs more
 * than most of their checks. One instance serves one lint run, on one thread.
 */
final class RulesByCommand {

    private final List<Rule> rules;
    private final Map<String, Rule[]> byCommand = new HashMap<>();

    RulesByCommand(List<Rule> rules) {
        this.rules = rules;
    }

    /**
     * The rules for a command, as an array that the caller must not change: a large file's
     * statements walk these some millions of times in all, and an array needs no iterator.
     */
    Rule[] rulesFor(String command) {
        // Not computeIfAbsent: its lambda would capture this, and be allocated for every statement.
        Rule[] handling = byCommand.get(command);
        if (handling == null) {
            handling = rules.stream().filter(r -> r.handles(command)).toArray(Rule[]::new);
            byCommand.put(command, handling);
        }
        return handling;
    }
}
