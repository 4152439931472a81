package dev.reverso.cli;

import java.io.PrintStream;
import java.io.Writer;
import java.util.Arrays;

/**
 * A Writer onto a PrintStream, so that what is written is encoded as all the CLI's output is,
 * and that leaves the stream open when closed (Jackson closes its target). It hands the stream
 * whole buffers: a PrintStream prints a char array only whole, and copying each partial write
 * into an array of its own allocated as much as the output itself.
 */
final class PrintStreamWriter extends Writer {

    private final PrintStream out;
    private final char[] buffer = new char[1 << 16];
    private int used;

    PrintStreamWriter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void write(char[] chars, int offset, int length) {
        int from = offset;
        int left = length;
        while (left > 0) {
            int n = Math.min(left, buffer.length - used);
            System.arraycopy(chars, from, buffer, used, n);
            used += n;
            from += n;
            left -= n;
            if (used == buffer.length) {
                out.print(buffer);
                used = 0;
            }
        }
    }

    /** Writes the builder's text, without copying it into an array of its own first. */
    void write(StringBuilder text) {
        int from = 0;
        while (from < text.length()) {
            int n = Math.min(text.length() - from, buffer.length - used);
            text.getChars(from, from + n, buffer, used);
            used += n;
            from += n;
            if (used == buffer.length) {
                out.print(buffer);
                used = 0;
            }
        }
    }

    @Override
    public void flush() {
        if (used > 0) {
            out.print(Arrays.copyOf(buffer, used));
            used = 0;
        }
        out.flush();
    }

    @Override
    public void close() {
        flush();
    }
}
