package dev.reverso.source;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a file name in the migrations folder says: its version, its name and its role. Reads
 * golang-migrate naming ({@code 0001_create_users.up.sql}, {@code .down.sql}), Flyway naming
 * ({@code V1__create_users.sql}, {@code U1__create_users.sql}), operation migrations
 * ({@code 0002_add_email.json} or {@code .yaml}) and verify scripts ({@code 0001_x.verify.sql}).
 */
public record FileName(String file, Version version, String name, Role role) {

    /** The part a file plays in a migration. */
    public enum Role { UP, DOWN, OPERATIONS, VERIFY }

    private static final Pattern GOLANG = Pattern.compile("(\\d+)_(.+)\\.(up|down|verify)\\.sql");
    private static final Pattern FLYWAY = Pattern.compile("([VU])(\\d+(?:[._]\\d+)*)__(.+)\\.sql");
    private static final Pattern OPERATIONS = Pattern.compile("(\\d+)_(.+)\\.(json|ya?ml)");

    /**
     * Reads a file name.
     *
     * @return empty when the file is not a migration at all (a README, a hidden file)
     * @throws IllegalArgumentException when the file looks like a migration but its name is malformed;
     *     the message says what the name should look like
     */
    public static Optional<FileName> parse(String file) {
        if (file.startsWith(".")) {
            return Optional.empty();
        }
        Matcher m = GOLANG.matcher(file);
        if (m.matches()) {
            Role role = switch (m.group(3)) {
                case "up" -> Role.UP;
                case "down" -> Role.DOWN;
                default -> Role.VERIFY;
            };
            return Optional.of(new FileName(file, Version.parse(m.group(1)), m.group(2), role));
        }
        m = FLYWAY.matcher(file);
        if (m.matches()) {
            Role role = m.group(1).equals("V") ? Role.UP : Role.DOWN;
            return Optional.of(new FileName(file, Version.parse(m.group(2)), m.group(3), role));
        }
        m = OPERATIONS.matcher(file);
        if (m.matches()) {
            return Optional.of(new FileName(file, Version.parse(m.group(1)), m.group(2), Role.OPERATIONS));
        }
        if (file.startsWith("R__") && file.endsWith(".sql")) {
            throw new IllegalArgumentException("repeatable migrations (R__) are not supported; give the file a version");
        }
        if (file.endsWith(".sql")) {
            throw new IllegalArgumentException("malformed migration file name; expected NNNN_name.up.sql, "
                    + "NNNN_name.down.sql or V<version>__name.sql");
        }
        return Optional.empty();
    }
}
