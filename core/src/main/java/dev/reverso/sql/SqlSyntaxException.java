package dev.reverso.sql;

/** A SQL script cannot be split into tokens, for example because a string is never closed. */
public final class SqlSyntaxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    /**
     * @param what   what is wrong, e.g. "unterminated quoted string"
     * @param line   1-based line where the faulty construct starts
     * @param column 1-based column where the faulty construct starts
     */
    public SqlSyntaxException(String what, int line, int column) {
        super(what + " starting at line " + line + ", column " + column);
        this.line = line;
        this.column = column;
    }

    /** The 1-based line where the faulty construct starts. */
    public int line() {
        return line;
    }

    /** The 1-based column where the faulty construct starts. */
    public int column() {
        return column;
    }
}
