package dev.reverso.release;

import java.util.List;

/**
 * A pending migration's risk level and why.
 *
 * @param version the migration's version
 * @param name    its name
 * @param level   the highest level of its reasons; LOW when it has none but additive changes
 * @param reasons what makes it that risky, each with the level it alone would give
 */
public record Risk(String version, String name, RiskLevel level, List<Reason> reasons) {

    public Risk {
        reasons = List.copyOf(reasons);
    }

    /** One thing that makes a migration risky. */
    public record Reason(RiskLevel level, String text) { }
}
