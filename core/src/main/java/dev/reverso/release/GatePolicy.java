package dev.reverso.release;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which gates each risk level requires. A level not in the map requires none.
 *
 * @param required by level
 */
public record GatePolicy(Map<RiskLevel, Set<Gate>> required) {

    public GatePolicy {
        EnumMap<RiskLevel, Set<Gate>> copy = new EnumMap<>(RiskLevel.class);
        required.forEach((level, gates) -> copy.put(level, gates.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(gates))));
        required = Map.copyOf(copy);
    }

    /**
     * High: a snapshot or archiving, and a passing preflight; critical: those, an approver and a
     * roundtrip check on a scratch database.
     */
    public static GatePolicy defaults() {
        return new GatePolicy(Map.of(
                RiskLevel.HIGH, EnumSet.of(Gate.SNAPSHOT_OR_ARCHIVE, Gate.PREFLIGHT),
                RiskLevel.CRITICAL, EnumSet.of(Gate.SNAPSHOT_OR_ARCHIVE, Gate.PREFLIGHT, Gate.APPROVAL, Gate.ROUNDTRIP)));
    }

    /** The same policy with the gates of one level replaced. */
    public GatePolicy with(RiskLevel level, Set<Gate> gates) {
        EnumMap<RiskLevel, Set<Gate>> copy = new EnumMap<>(RiskLevel.class);
        copy.putAll(required);
        copy.put(level, gates);
        return new GatePolicy(copy);
    }

    /** The gates a level requires, in declaration order. */
    public Set<Gate> of(RiskLevel level) {
        Set<Gate> gates = required.get(level);
        return gates == null || gates.isEmpty() ? Set.of() : EnumSet.copyOf(gates);
    }
}
