package dev.reverso.archive;

import dev.reverso.ReversoException;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the PostgreSQL client programs (pg_dump, pg_restore) are. A folder given explicitly
 * ({@code REVERSO_PG_BIN} or {@code --pg-bin}) is the only place looked at; otherwise the
 * Debian/Ubuntu folder of the server's own major version ({@code /usr/lib/postgresql/<major>/bin})
 * comes first, then the PATH, then the other versions there, newest first. A program older than
 * the server cannot dump it, so one is taken only when it is at least the version asked for.
 *
 * @param explicitBin the folder given by the user, or null
 * @param path the folders of the PATH, in order
 * @param versionedRoot the folder holding one {@code <major>/bin} per installed client version
 */
public record PgTools(Path explicitBin, List<Path> path, Path versionedRoot) {

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?");

    public PgTools {
        path = List.copyOf(path);
    }

    /** From {@code REVERSO_PG_BIN} and {@code PATH} of this process, with the Debian/Ubuntu layout. */
    public static PgTools fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** From {@code REVERSO_PG_BIN} and {@code PATH} of the given environment, with the Debian/Ubuntu layout. */
    public static PgTools fromEnvironment(Map<String, String> env) {
        String bin = env.get("REVERSO_PG_BIN");
        String path = env.getOrDefault("PATH", "");
        List<Path> folders = Stream.of(path.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList();
        return new PgTools(bin == null || bin.isBlank() ? null : Path.of(bin), folders, Path.of("/usr/lib/postgresql"));
    }

    /** The same lookup with an explicit folder, which then is the only place looked at. */
    public PgTools withBin(Path bin) {
        return new PgTools(bin, path, versionedRoot);
    }

    /** A client program found, with its major version. */
    public record Tool(Path program, int major, String version) {
    }

    /**
     * Finds a program of at least version {@code minimumMajor}, preferring {@code preferredMajor}'s folder.
     *
     * @throws ReversoException BAD_INPUT, in one line saying how to install it, when there is none,
     *     or when the only ones there are older than {@code minimumMajor}
     */
    public Tool find(String program, int preferredMajor, int minimumMajor) {
        Optional<Tool> tooOld = Optional.empty();
        for (Path folder : candidates(preferredMajor)) {
            Path file = folder.resolve(program);
            if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
                continue;
            }
            Tool tool = versionOf(file);
            if (tool.major() >= minimumMajor) {
                return tool;
            }
            tooOld = tooOld.isPresent() ? tooOld : Optional.of(tool);
        }
        String install = "install the PostgreSQL client (apt-get install postgresql-client-" + preferredMajor + ")";
        if (tooOld.isPresent()) {
            Tool old = tooOld.get();
            throw ReversoException.badInput(program + " " + old.version() + " (" + old.program() + ") is older than the server"
                    + " (PostgreSQL " + minimumMajor + ") and cannot work with it: " + install
                    + " or set REVERSO_PG_BIN to the bin folder of a " + program + " " + minimumMajor + " or later");
        }
        if (explicitBin != null) {
            throw ReversoException.badInput(program + " not found in " + explicitBin + " (REVERSO_PG_BIN): " + install
                    + " or point REVERSO_PG_BIN at its bin folder");
        }
        throw ReversoException.badInput(program + " not found: " + install + " or set REVERSO_PG_BIN");
    }

    private List<Path> candidates(int preferredMajor) {
        if (explicitBin != null) {
            return List.of(explicitBin);
        }
        List<Path> out = new ArrayList<>();
        out.add(versionedRoot.resolve(Integer.toString(preferredMajor)).resolve("bin"));
        out.addAll(path);
        try (Stream<Path> versions = Files.list(versionedRoot)) {
            versions.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .sorted(Comparator.comparingInt((Path p) -> Integer.parseInt(p.getFileName().toString())).reversed())
                    .forEach(p -> out.add(p.resolve("bin")));
        } catch (IOException e) {
            // No versioned folders on this system: the PATH is all there is.
        }
        return out;
    }

    /** Asks a program for its version ({@code pg_dump (PostgreSQL) 15.4}). */
    private static Tool versionOf(Path program) {
        try {
            Process p = new ProcessBuilder(program.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            Matcher m = VERSION.matcher(out);
            if (!m.find()) {
                throw ReversoException.badInput(program + " --version said '" + out.strip() + "', not a PostgreSQL version");
            }
            return new Tool(program, Integer.parseInt(m.group(1)), m.group(1) + (m.group(2) == null ? "" : "." + m.group(2)));
        } catch (IOException e) {
            throw ReversoException.badInput("cannot run " + program + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ReversoException.badInput("interrupted while asking " + program + " for its version");
        }
    }
}
