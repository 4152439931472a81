package dev.reverso.release;

import dev.reverso.ReversoException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The environments a migration goes through, in order (local, ci, staging, production): a
 * migration may run in one only after the one before has applied it.
 *
 * @param list      in promotion order
 * @param soak      how long a migration must have been applied in the previous environment, for
 *                  environments that set no soak of their own; zero for none
 * @param variables where {@code url_env} names are looked up (the process environment)
 */
public record Environments(List<Environment> list, Duration soak, Map<String, String> variables) {

    public Environments {
        list = List.copyOf(list);
        soak = soak == null ? Duration.ZERO : soak;
        variables = Map.copyOf(variables);
        for (int i = 0; i < list.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (list.get(i).name().equals(list.get(j).name())) {
                    throw ReversoException.badInput("environments: " + list.get(i).name() + " is listed twice");
                }
            }
        }
    }

    /** No environments configured. */
    public static Environments none() {
        return new Environments(List.of(), Duration.ZERO, Map.of());
    }

    /** @throws ReversoException BAD_INPUT naming the configured environments when there is no such one */
    public Environment named(String name) {
        return list.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow(() -> ReversoException.badInput(
                "--env " + name + ": no such environment" + (list.isEmpty() ? " (reverso.yaml lists none)"
                        : " (reverso.yaml lists: " + String.join(", ", list.stream().map(Environment::name).toList()) + ")")));
    }

    /** The environment before the named one; empty for the first. */
    public Optional<Environment> previous(String name) {
        int i = list.indexOf(named(name));
        return i == 0 ? Optional.empty() : Optional.of(list.get(i - 1));
    }

    /** The soak the named environment asks of its predecessor: its own, else the global one. */
    public Duration soakOf(String name) {
        Environment e = named(name);
        return e.soak() != null ? e.soak() : soak;
    }
}
