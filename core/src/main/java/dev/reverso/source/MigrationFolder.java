package dev.reverso.source;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the migrations of one folder. It never stops at the first problem: every malformed
 * name, duplicate version and unreadable file is collected, so that {@code validate} can
 * report them all and other commands can refuse with the first.
 */
public final class MigrationFolder {

    private static final Pattern NO_TRANSACTION =
            Pattern.compile("^\\s*--\\s*reverso:no-transaction\\s*$", Pattern.CASE_INSENSITIVE);

    private final Path dir;

    public MigrationFolder(Path dir) {
        this.dir = dir;
    }

    /**
     * Reads the folder.
     *
     * @throws IOException when the folder itself is missing or cannot be listed
     */
    public MigrationSet read() throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "migrations folder does not exist");
        }
        List<SourceProblem> problems = new ArrayList<>();
        Map<Version, List<FileName>> byVersion = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path path : files.sorted(Comparator.comparing(Path::toString)).toList()) {
                if (Files.isDirectory(path)) {
                    continue;
                }
                String file = path.getFileName().toString();
                try {
                    FileName.parse(file).ifPresent(n -> byVersion.computeIfAbsent(n.version(), v -> new ArrayList<>()).add(n));
                } catch (IllegalArgumentException e) {
                    problems.add(new SourceProblem(SourceProblem.Type.MALFORMED_NAME, file, e.getMessage()));
                }
            }
        }
        List<Migration> migrations = new ArrayList<>();
        for (Map.Entry<Version, List<FileName>> entry : byVersion.entrySet()) {
            assemble(entry.getKey(), entry.getValue(), problems).ifPresent(migrations::add);
        }
        return new MigrationSet(dir.toString(), migrations, problems);
    }

    private Optional<Migration> assemble(Version version, List<FileName> files, List<SourceProblem> problems) {
        List<FileName> ups = files.stream().filter(f -> f.role() == FileName.Role.UP || f.role() == FileName.Role.OPERATIONS).toList();
        List<FileName> downs = files.stream().filter(f -> f.role() == FileName.Role.DOWN).toList();
        if (ups.size() > 1) {
            problems.add(new SourceProblem(SourceProblem.Type.DUPLICATE_VERSION, ups.get(1).file(),
                    "version " + version + " is claimed by both " + ups.get(0).file() + " and " + ups.get(1).file()));
            return Optional.empty();
        }
        if (downs.size() > 1) {
            problems.add(new SourceProblem(SourceProblem.Type.DUPLICATE_VERSION, downs.get(1).file(),
                    "version " + version + " has two downs: " + downs.get(0).file() + " and " + downs.get(1).file()));
            return Optional.empty();
        }
        if (ups.isEmpty()) {
            if (!downs.isEmpty()) {
                problems.add(new SourceProblem(SourceProblem.Type.MISSING_UP, downs.get(0).file(),
                        "down migration without an up migration for version " + version));
            }
            return Optional.empty();
        }
        FileName up = ups.get(0);
        FileName down = downs.isEmpty() ? null : downs.get(0);
        Optional<String> upText = read(up.file(), problems);
        Optional<String> downText = down == null ? Optional.empty() : read(down.file(), problems);
        if (upText.isEmpty() || (down != null && downText.isEmpty())) {
            return Optional.empty();
        }
        Migration.Kind kind = up.role() == FileName.Role.OPERATIONS ? Migration.Kind.OPS : Migration.Kind.SQL;
        if (down == null && kind == Migration.Kind.SQL) {
            problems.add(new SourceProblem(SourceProblem.Type.MISSING_DOWN, up.file(),
                    "no down migration; it cannot be rolled back"));
        }
        String text = upText.get();
        return Optional.of(new Migration(version, up.name(), kind, text, downText.orElse(null), up.file(),
                down == null ? null : down.file(), Checksum.of(text), declaresNoTransaction(text)));
    }

    private Optional<String> read(String file, List<SourceProblem> problems) {
        Path path = dir.resolve(file);
        try {
            byte[] bytes = Files.readAllBytes(path);
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            problems.add(new SourceProblem(SourceProblem.Type.UNREADABLE, file, "not valid UTF-8"));
        } catch (AccessDeniedException e) {
            problems.add(new SourceProblem(SourceProblem.Type.UNREADABLE, file, "cannot read: permission denied"));
        } catch (IOException e) {
            problems.add(new SourceProblem(SourceProblem.Type.UNREADABLE, file, "cannot read: " + e.getMessage()));
        }
        return Optional.empty();
    }

    /** Whether a script's first line is the {@code -- reverso:no-transaction} directive. */
    public static boolean declaresNoTransaction(String text) {
        String s = text.startsWith("\uFEFF") ? text.substring(1) : text;
        int eol = s.indexOf('\n');
        return NO_TRANSACTION.matcher(eol < 0 ? s : s.substring(0, eol)).matches();
    }
}
