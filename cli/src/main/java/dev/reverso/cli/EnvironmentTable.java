package dev.reverso.cli;

import dev.reverso.DatabaseUrl;
import dev.reverso.ReversoException;
import dev.reverso.release.Environment;
import dev.reverso.release.EnvironmentMatrix;
import dev.reverso.release.Environments;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** {@code reverso status --all-envs}: one row per migration, one column per environment. */
final class EnvironmentTable {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private EnvironmentTable() {
    }

    static int print(ReversoCommand root) {
        Environments environments = root.release().environments();
        if (environments.list().isEmpty()) {
            throw ReversoException.badInput("--all-envs: reverso.yaml lists no environments (see README, Environments)");
        }
        EnvironmentMatrix matrix = root.reverso(anyUrl(environments), root.dir).environments(environments);
        Terminal t = root.terminal;
        if (root.format == Format.json) {
            new Json().print(t.out(), matrix);
            return ExitCode.DONE;
        }
        List<String> headers = new ArrayList<>(List.of("VERSION", "NAME"));
        headers.addAll(matrix.environments());
        Table table = new Table(headers.toArray(String[]::new));
        for (EnvironmentMatrix.Row row : matrix.rows()) {
            List<Object> cells = new ArrayList<>(List.of(row.version(), row.name() + (row.inFolder() ? "" : " (not in folder)")));
            row.cells().values().forEach(c -> cells.add(cell(t, c)));
            table.row(cells.toArray());
        }
        if (table.isEmpty()) {
            t.out().println("no migrations in " + root.dir + " and none applied in any environment");
        } else {
            table.print(t.out());
        }
        matrix.unreachable().forEach((env, why) -> t.out().println(t.yellow(env + " unreachable") + ": " + why));
        return ExitCode.DONE;
    }

    private static String cell(Terminal t, EnvironmentMatrix.Cell c) {
        String text = c.state().label() + (c.at() == null ? "" : " " + DAY.format(c.at()));
        return switch (c.state()) {
            case APPLIED -> t.green(text);
            case FAILED, RUNNING, ROLLING_BACK, CHECKSUM_DIFFERS -> t.red(text);
            case UNREACHABLE -> t.yellow(text);
            default -> text;
        };
    }

    /**
     * The matrix reads the environments, not the target; a Reverso still needs one, so the first
     * environment whose URL resolves (or any) stands in.
     */
    private static DatabaseUrl anyUrl(Environments environments) {
        for (Environment e : environments.list()) {
            try {
                return e.resolve(environments.variables());
            } catch (ReversoException unresolved) {
                // the next one, then
            }
        }
        return DatabaseUrl.parse("postgres://localhost/postgres");
    }
}
