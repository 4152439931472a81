package dev.reverso.release;

import dev.reverso.history.HistoryRow;
import dev.reverso.source.Migration;
import dev.reverso.source.Version;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every migration (of the folder and of every environment's history) across every environment:
 * {@code reverso status --all-envs}.
 *
 * @param environments the environments' names, in promotion order
 * @param unreachable  per environment that could not be read, why
 * @param rows         one per version, in version order
 */
public record EnvironmentMatrix(List<String> environments, Map<String, String> unreachable, List<Row> rows) {

    /** What one environment has of one migration. */
    public enum State {
        APPLIED, PENDING, RUNNING, FAILED, ROLLING_BACK, ROLLED_BACK, STARTED, CHECKSUM_DIFFERS, UNREACHABLE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    /**
     * @param state what the environment has
     * @param at    when it was applied (or rolled back, or failed); null when pending or unreachable
     */
    public record Cell(State state, Instant at) { }

    /**
     * @param version the migration's version
     * @param name    its name, from the folder or else from a history
     * @param inFolder whether the folder has it
     * @param cells   by environment name, in promotion order
     */
    public record Row(String version, String name, boolean inFolder, Map<String, Cell> cells) { }

    /** The matrix of the folder's migrations and the environments' histories. */
    public static EnvironmentMatrix of(List<Migration> folder, List<EnvironmentHistory> histories) {
        TreeMap<Version, String> names = new TreeMap<>();
        Map<String, Migration> files = new LinkedHashMap<>();
        for (Migration m : folder) {
            names.put(m.version(), m.name());
            files.put(m.version().toString(), m);
        }
        for (EnvironmentHistory h : histories) {
            h.rows().values().forEach(r -> names.putIfAbsent(Version.parse(r.version()), r.name()));
        }
        Map<String, String> unreachable = new LinkedHashMap<>();
        histories.stream().filter(h -> !h.reachable()).forEach(h -> unreachable.put(h.environment(), h.unreachable()));
        List<Row> rows = new ArrayList<>();
        names.forEach((version, name) -> {
            Map<String, Cell> cells = new LinkedHashMap<>();
            Migration file = files.get(version.toString());
            for (EnvironmentHistory h : histories) {
                cells.put(h.environment(), cell(h, h.rows().get(version.toString()), file));
            }
            rows.add(new Row(version.toString(), name, file != null, cells));
        });
        return new EnvironmentMatrix(histories.stream().map(EnvironmentHistory::environment).toList(), unreachable, rows);
    }

    private static Cell cell(EnvironmentHistory h, HistoryRow row, Migration file) {
        if (!h.reachable()) {
            return new Cell(State.UNREACHABLE, null);
        }
        if (row == null) {
            return new Cell(State.PENDING, null);
        }
        State state = switch (row.state()) {
            case APPLIED, COMPLETED -> file != null && !file.checksum().equals(row.checksum()) ? State.CHECKSUM_DIFFERS : State.APPLIED;
            case RUNNING -> State.RUNNING;
            case FAILED -> State.FAILED;
            case ROLLING_BACK -> row.error() != null ? State.FAILED : State.ROLLING_BACK;
            case ROLLED_BACK -> State.ROLLED_BACK;
            case STARTED -> State.STARTED;
        };
        return new Cell(state, row.finishedAt() != null ? row.finishedAt() : row.startedAt());
    }
}
