package dev.reverso.ops;

/**
 * An operation document that cannot be run: a field missing or of the wrong kind, an unknown
 * operation, or an object it names that the live schema does not have. The path is a JSON path
 * into the document, such as {@code $.operations[1].add_column.column.type}.
 */
public final class DocumentError extends Exception {

    private final String path;

    public DocumentError(String path, String problem) {
        super(path + ": " + problem);
        this.path = path;
    }

    public String path() {
        return path;
    }
}
