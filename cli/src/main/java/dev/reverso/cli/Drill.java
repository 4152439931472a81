package dev.reverso.cli;

import dev.reverso.Database;
import dev.reverso.MigrationStatus;
import dev.reverso.ReversoException;
import dev.reverso.StatusReport;
import dev.reverso.source.Version;
import dev.reverso.sql.Identifiers;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The crash part of a drill: runs {@code reverso up --to VERSION} in a child JVM, reads its
 * progress lines on stderr, and SIGKILLs it once the chosen statement has reached the server.
 * Then waits until the server has ended the dead runner's sessions, so the state left behind is
 * the one a real crash leaves.
 */
final class Drill {

    /** The child prints one such line as each statement starts, in a pipe (see {@link Progress}). */
    private static final Pattern STEP_LINE = Pattern.compile("^\\s+step (\\d+)/(\\d+): ");
    private static final Pattern APPLYING_LINE = Pattern.compile("^applying (\\S+) ");
    private static final long SESSION_END_WAIT_MS = 30_000;

    private final ReversoCommand root;
    private final Database database;
    private final String runnerApplicationName;
    private final Consumer<String> say;

    /**
     * @param database the drill's own connections, under an application name of their own
     * @param runnerApplicationName the application_name the child runner's sessions show
     * @param say where the narration goes
     */
    Drill(ReversoCommand root, Database database, String runnerApplicationName, Consumer<String> say) {
        this.root = root;
        this.database = database;
        this.runnerApplicationName = runnerApplicationName;
        this.say = say;
    }

    /**
     * How the child ended.
     *
     * @param step the step it was killed at, or 0 when it ended by itself first
     * @param exit its exit status (137 after SIGKILL)
     * @param sessions the backend pids its sessions had when it was killed
     */
    record Kill(int step, int exit, List<Integer> sessions) {
    }

    /**
     * Starts the child and kills it when statement {@code killAt} (1-based) of the migration
     * {@code label} runs; a migration of one statement has no step lines, so it is killed as
     * soon as its statement is under way.
     */
    Kill crash(Version version, String label, int killAt, int statements, boolean transactional)
            throws IOException, InterruptedException {
        if (!transactional) {
            return crash(version, label, killAt, statements);
        }
        // The child writes its history row inside the migration's transaction, after the last
        // statement: while the drill holds this lock that write waits, so the transaction cannot
        // commit before the kill lands, however fast its statements are.
        try (Connection hold = database.connect(); Statement st = hold.createStatement()) {
            hold.setAutoCommit(false);
            st.execute("lock table " + Identifiers.qualified(root.schema, "migrations") + " in exclusive mode");
            Kill kill = crash(version, label, killAt, statements);
            hold.rollback();
            return kill;
        } catch (SQLException e) {
            throw new ReversoException(ReversoException.Kind.UNREACHABLE, "drill: " + Database.serverMessage(e), e);
        }
    }

    private Kill crash(Version version, String label, int killAt, int statements) throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "dev.reverso.cli.Main", "--dir", root.dir.toString(), "--schema", root.schema,
                "--no-report"));
        if (root.configPath != null) {
            command.addAll(List.of("--config", root.configPath.toString()));
        }
        command.addAll(List.of("up", "--to", version.toString(), "--no-preflight"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // In the environment rather than the arguments, so a password in the URL stays out of ps.
        builder.environment().put("REVERSO_URL", root.url);
        Process child = builder.start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                say.accept("  | " + line);
                if (reached(line, label, killAt, statements)) {
                    awaitStatementOnServer();
                    List<Integer> sessions = runnerSessions();
                    child.destroyForcibly();
                    child.waitFor(10, TimeUnit.SECONDS);
                    say.accept("killed the runner (SIGKILL, pid " + child.pid() + ") at step " + killAt + " of " + statements);
                    int exit = child.exitValue();
                    return new Kill(killAt, exit, sessions);
                }
            }
        } finally {
            child.destroyForcibly();
        }
        child.waitFor();
        return new Kill(0, child.exitValue(), List.of());
    }

    private static boolean reached(String line, String label, int killAt, int statements) {
        if (statements == 1) {
            Matcher applying = APPLYING_LINE.matcher(line);
            return applying.find() && applying.group(1).equals(label);
        }
        Matcher step = STEP_LINE.matcher(line);
        return step.find() && Integer.parseInt(step.group(1)) == killAt && Integer.parseInt(step.group(2)) == statements;
    }

    /**
     * The step line is printed just before the statement is sent; wait (up to 2 s) until a
     * runner session is busy with something other than Reverso's own bookkeeping, so the kill
     * lands while the statement runs rather than before it.
     */
    private void awaitStatementOnServer() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (count("select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()"
                    + " and application_name = ? and state = 'active' and position(? in query) = 0", runnerApplicationName, root.schema) > 0) {
                return;
            }
            Thread.sleep(10);
        }
    }

    private List<Integer> runnerSessions() {
        try (Connection c = database.connect(); PreparedStatement st = c.prepareStatement("select pid from pg_stat_activity"
                + " where datname = current_database() and pid <> pg_backend_pid() and application_name = ?")) {
            st.setString(1, runnerApplicationName);
            List<Integer> pids = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
            return pids;
        } catch (SQLException e) {
            throw new ReversoException(ReversoException.Kind.UNREACHABLE, "drill: " + Database.serverMessage(e), e);
        }
    }

    /**
     * The server notices a dead client only when it next talks to it, so a long statement keeps
     * running (and its transaction open) after the kill. Wait for that as a real crash would;
     * past the wait, end those sessions so the drill can go on.
     */
    void awaitSessionsEnded(List<Integer> pids) throws InterruptedException {
        if (pids.isEmpty()) {
            return;
        }
        String list = pids.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElseThrow();
        String alive = "select count(*) from pg_stat_activity where pid in (" + list + ")";
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SESSION_END_WAIT_MS);
        say.accept("waiting for the server to end the dead runner's session(s) (pid " + list + ")");
        while (count(alive) > 0) {
            if (System.nanoTime() > deadline) {
                say.accept("still running after " + SESSION_END_WAIT_MS / 1000 + " s: terminating them (pg_terminate_backend)");
                count("select count(pg_terminate_backend(pid)) from pg_stat_activity where pid in (" + list + ")");
                deadline = Long.MAX_VALUE;
            }
            Thread.sleep(25);
        }
    }

    /** The single number a query returns, with its parameters bound in order. */
    private long count(String sql, String... parameters) {
        try (Connection c = database.connect(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                st.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new ReversoException(ReversoException.Kind.UNREACHABLE, "drill: " + Database.serverMessage(e), e);
        }
    }

    /** The migration's line in a status report, or null when status does not list it. */
    static MigrationStatus find(StatusReport report, Version version) {
        return report.migrations().stream().filter(m -> Version.parse(m.version()).equals(version)).findFirst().orElse(null);
    }
}
