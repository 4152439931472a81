package dev.reverso.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Arrays;

/** Machine-readable output: the library's result records as JSON, dates as ISO-8601 text. */
final class Json {

    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Writes the value as it is serialised rather than as one string: a lint report of a large
     * file is about 100 MB of JSON, which as a string cost a second and twice its size in memory.
     * The characters go through {@code out}, so they are encoded as all the CLI's output is.
     */
    void print(PrintStream out, Object value) {
        try {
            mapper.writeValue(new PrintStreamWriter(out), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
    }

    /**
     * A Writer onto a PrintStream that leaves the stream open (the mapper closes its target). It
     * hands the stream whole buffers: a PrintStream prints a char array only whole, and copying
     * each of the generator's partial flushes into an array of its own allocated as much as the
     * output itself.
     */
    private static final class PrintStreamWriter extends Writer {

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
}
