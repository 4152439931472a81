package dev.reverso.lint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * How the rules are shared between the linter's two passes, so that both finish together: each
 * pass replays the schema on its own, and the later one to finish sets the time of a large lint.
 * Rules go to the pass with less work so far, the costliest first; within a pass they keep their
 * order in the list. Which pass runs a rule does not change the report: each rule's findings come
 * out of one pass in statement order, and the report is sorted afterwards.
 */
final class PassSplit {

    /**
     * The rules that cost clearly more than the rest, in milliseconds per 100,000 statements of the
     * lint bench file (bench/lint-vs-squawk.sh, 10 MB of the lint corpus repeated, one JVM with no
     * collection during the run). The cost of a rule includes the shared readings it is often the
     * first to ask for. Any other rule counts as {@link #OTHER}.
     */
    private static final Map<String, Integer> COST = Map.ofEntries(
            Map.entry("fk-without-index", 420),
            Map.entry("non-atomic-multi-statement", 400),
            Map.entry("duplicate-column-assignment", 215),
            Map.entry("uniqueness-on-existing-data", 200),
            Map.entry("prefer-bigint", 175),
            Map.entry("identifier-too-long", 120),
            Map.entry("rewrite-via-table-option", 155),
            Map.entry("add-column-default-rewrite", 150),
            Map.entry("add-column-required", 115),
            Map.entry("add-foreign-key-without-not-valid", 80),
            Map.entry("add-primary-key", 75),
            Map.entry("drop-foreign-key", 75),
            Map.entry("add-check-without-not-valid", 75),
            Map.entry("add-unique-constraint", 70),
            Map.entry("drop-not-null", 60),
            Map.entry("rename-table-or-schema", 60),
            Map.entry("statement-forbidden-in-transaction", 55),
            Map.entry("enum-value-ordering", 55),
            Map.entry("add-column-serial-or-identity", 55),
            Map.entry("unbatched-backfill", 50));

    private static final int OTHER = 25;

    /** The first pass also checks every statement's parentheses and classification. */
    private static final int FIRST_PASS_OWN_WORK = 75;

    private PassSplit() {
    }

    /** The rules in two groups of about the same cost, each in the order of {@code rules}. */
    static List<List<Rule>> of(List<Rule> rules) {
        List<Rule> costliestFirst = new ArrayList<>(rules);
        costliestFirst.sort(Comparator.comparingInt(PassSplit::cost).reversed());
        List<Rule> first = new ArrayList<>();
        int firstCost = FIRST_PASS_OWN_WORK;
        int secondCost = 0;
        for (Rule rule : costliestFirst) {
            if (firstCost <= secondCost) {
                first.add(rule);
                firstCost += cost(rule);
            } else {
                secondCost += cost(rule);
            }
        }
        List<Rule> one = rules.stream().filter(first::contains).toList();
        List<Rule> two = rules.stream().filter(r -> !first.contains(r)).toList();
        return List.of(one, two);
    }

    private static int cost(Rule rule) {
        return COST.getOrDefault(rule.id(), OTHER);
    }
}
