package dev.reverso.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reverso.ReversoException;
import dev.reverso.release.Environment;
import dev.reverso.release.Environments;
import dev.reverso.release.Gate;
import dev.reverso.release.GatePolicy;
import dev.reverso.release.Release;
import dev.reverso.release.RiskLevel;
import dev.reverso.release.RiskThresholds;
import picocli.CommandLine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The release part of {@code reverso.yaml}: {@code environments} (ordered, each with {@code name},
 * {@code url} or {@code url_env}, optional {@code soak}), the global {@code soak}, {@code gates}
 * (risk level to the gates it requires; its presence turns the risk gates on for every up) and
 * {@code risk} (big_rows, big_mb, huge_rows, huge_mb).
 */
record ReleaseSettings(Environments environments, Optional<GatePolicy> gates, RiskThresholds thresholds) {

    static final List<String> KEYS = List.of("environments", "soak", "gates", "risk");

    /** The settings of the file, or none when it has no such keys. */
    static ReleaseSettings of(ConfigFile file) {
        JsonNode root = file == null ? null : file.root();
        if (root == null) {
            return new ReleaseSettings(Environments.none(), Optional.empty(), RiskThresholds.defaults());
        }
        return new ReleaseSettings(environments(root), gates(root.get("gates")), thresholds(root.get("risk")));
    }

    /** The release an up goes through: with an environment, or with the gates configured; null when neither. */
    Release release(String environment, String approvedBy) {
        if (environment == null && gates.isEmpty() && approvedBy == null) {
            return null;
        }
        Release release = Release.defaults().withEnvironments(environments).withThresholds(thresholds)
                .withPolicy(gates.orElse(GatePolicy.defaults()));
        release = environment == null ? release : release.forEnvironment(environment);
        return approvedBy == null ? release : release.approvedBy(approvedBy);
    }

    private static Environments environments(JsonNode root) {
        Duration soak = duration("soak", root.get("soak"));
        JsonNode list = root.get("environments");
        if (list == null || list.isNull()) {
            return new Environments(List.of(), soak, System.getenv());
        }
        if (!list.isArray()) {
            throw bad("environments: expected a list of {name, url or url_env, soak}");
        }
        List<Environment> out = new ArrayList<>();
        for (JsonNode e : list) {
            for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!List.of("name", "url", "url_env", "soak").contains(key)) {
                    throw bad("environments: unknown key '" + key + "' (name, url, url_env, soak)");
                }
            }
            String name = text(e, "name");
            if (name == null) {
                throw bad("environments: every environment needs a name");
            }
            out.add(new Environment(name, text(e, "url"), text(e, "url_env"), e.has("soak") ? duration("soak of " + name, e.get("soak")) : null));
        }
        return new Environments(out, soak, System.getenv());
    }

    private static Optional<GatePolicy> gates(JsonNode node) {
        if (node == null) {
            return Optional.empty();
        }
        GatePolicy policy = GatePolicy.defaults();
        if (node.isNull()) {
            return Optional.of(policy);
        }
        if (!node.isObject()) {
            throw bad("gates: expected a mapping of risk levels to lists of gates, e.g. {high: [snapshot_or_archive, preflight]}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                Set<Gate> gates = EnumSet.noneOf(Gate.class);
                for (JsonNode g : e.getValue()) {
                    gates.add(Gate.parse(g.asText()));
                }
                policy = policy.with(RiskLevel.parse(e.getKey()), gates);
            } catch (IllegalArgumentException x) {
                throw bad("gates: " + x.getMessage());
            }
        }
        return Optional.of(policy);
    }

    private static RiskThresholds thresholds(JsonNode node) {
        RiskThresholds d = RiskThresholds.defaults();
        if (node == null || node.isNull()) {
            return d;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!List.of("big_rows", "big_mb", "huge_rows", "huge_mb").contains(key)) {
                throw bad("risk: unknown key '" + key + "' (big_rows, big_mb, huge_rows, huge_mb)");
            }
        }
        return new RiskThresholds(node.path("big_rows").asLong(d.bigRows()), node.has("big_mb") ? node.get("big_mb").asLong() << 20 : d.bigBytes(),
                node.path("huge_rows").asLong(d.hugeRows()), node.has("huge_mb") ? node.get("huge_mb").asLong() << 20 : d.hugeBytes());
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Duration duration(String what, JsonNode node) {
        if (node == null || node.isNull()) {
            return Duration.ZERO;
        }
        try {
            return new DurationConverter().convert(node.asText());
        } catch (CommandLine.TypeConversionException e) {
            throw bad(what + ": " + e.getMessage());
        }
    }

    private static ReversoException bad(String message) {
        return ReversoException.badInput("reverso.yaml: " + message);
    }
}
