package dev.reverso;

/**
 * The one exception the library throws for a failure a user can act on. Its {@link Kind} tells
 * a caller (the CLI maps it to an exit code) what sort of failure it was; its message is one
 * line that names the culprit: the file, the option, the server or the session at fault.
 */
public class ReversoException extends RuntimeException {

    /** What sort of failure this is. */
    public enum Kind {
        /** A check found problems: validation findings, drift. */
        CHECK_FAILED,
        /** Bad input or configuration: a malformed file, a duplicate version, an unknown option. */
        BAD_INPUT,
        /** The database is unreachable or refused the connection. */
        UNREACHABLE,
        /** Another runner holds Reverso's advisory lock. */
        LOCKED,
        /** A migration failed; status says whether the database was left dirty and where. */
        MIGRATION_FAILED
    }

    private final Kind kind;

    public ReversoException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ReversoException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** Bad input: the folder, a file or an argument; nothing was changed. */
    public static ReversoException badInput(String message) {
        return new ReversoException(Kind.BAD_INPUT, message);
    }
}
