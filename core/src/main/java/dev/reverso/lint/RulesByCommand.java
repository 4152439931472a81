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
    private final Map<String, List<Rule>> byCommand = new HashMap<>();

    RulesByCommand(List<Rule> rules) {
        this.rules = rules;
    }

    List<Rule> rulesFor(String command) {
        // Not computeIfAbsent: its lambda would capture this, and be allocated for every statement.
        List<Rule> handling = byCommand.get(command);
        if (handling == null) {
            handling = rules.stream().filter(r -> r.handles(command)).toList();
            byCommand.put(command, handling);
        }
        return handling;
    }
}
