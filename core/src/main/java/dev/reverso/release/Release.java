package dev.reverso.release;

import java.util.Optional;

/**
 * The release process a run of {@code up} goes through before anything changes: the environment
 * it is for (checked against the one before it), and the gates its migrations' risk levels require.
 *
 * @param environment  the environment the run is for; empty: no environment gate
 * @param environments the configured environments, in order
 * @param approvedBy   who approved the run ({@code --approved-by}); empty when nobody
 * @param policy       which gates each risk level requires
 * @param thresholds   when a table is big or huge
 */
public record Release(Optional<String> environment, Environments environments, Optional<String> approvedBy, GatePolicy policy,
                      RiskThresholds thresholds) {

    /** No environment gate; the default risk gates. */
    public static Release defaults() {
        return new Release(Optional.empty(), Environments.none(), Optional.empty(), GatePolicy.defaults(), RiskThresholds.defaults());
    }

    public Release forEnvironment(String name) {
        return new Release(Optional.of(name), environments, approvedBy, policy, thresholds);
    }

    public Release withEnvironments(Environments list) {
        return new Release(environment, list, approvedBy, policy, thresholds);
    }

    public Release withThresholds(RiskThresholds t) {
        return new Release(environment, environments, approvedBy, policy, t);
    }

    public Release withPolicy(GatePolicy p) {
        return new Release(environment, environments, approvedBy, p, thresholds);
    }

    public Release approvedBy(String name) {
        return new Release(environment, environments, Optional.of(name), policy, thresholds);
    }
}
