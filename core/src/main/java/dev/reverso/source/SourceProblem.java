package dev.reverso.source;

/** Something wrong with the migrations folder, naming the file at fault. */
public record SourceProblem(Type type, String file, String message) {

    /** The sorts of problem a folder can have. */
    public enum Type { MALFORMED_NAME, DUPLICATE_VERSION, UNREADABLE, MISSING_UP, MISSING_DOWN }

    /** One line: the file, then what is wrong with it. */
    public String describe() {
        return file + ": " + message;
    }
}
