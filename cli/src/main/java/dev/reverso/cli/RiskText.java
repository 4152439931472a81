package dev.reverso.cli;

import dev.reverso.release.Gate;
import dev.reverso.release.GatePolicy;
import dev.reverso.release.Risk;
import dev.reverso.release.RiskLevel;

import java.util.Set;

/** A migration's risk level, its reasons and the gates it requires, as plan shows them. */
final class RiskText {

    private RiskText() {
    }

    /** @param enforced whether up enforces the gates without --env (reverso.yaml has gates:) */
    static void print(Terminal t, Risk risk, GatePolicy policy, boolean enforced) {
        if (risk == null) {
            return;
        }
        String level = risk.level().label();
        level = switch (risk.level()) {
            case LOW -> t.green(level);
            case MEDIUM -> t.yellow(level);
            case HIGH, CRITICAL -> t.red(level);
        };
        Set<Gate> gates = policy.of(risk.level());
        t.out().println("risk " + level + (gates.isEmpty() ? "" : "; " + (enforced ? "up requires " : "up --env requires ")
                + String.join(", ", gates.stream().map(Gate::requirement).toList())));
        for (Risk.Reason r : risk.reasons()) {
            t.out().println("  " + (r.level() == RiskLevel.LOW ? "" : r.level().label() + ": ") + r.text());
        }
    }
}
