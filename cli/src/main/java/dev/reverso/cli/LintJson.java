package dev.reverso.cli;

import dev.reverso.lint.Finding;
import dev.reverso.lint.LintReport;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code lint --format json}: the report exactly as {@link Json} (Jackson, indented) writes it,
 * written by hand, as UTF-8 (which JSON is, RFC 8259) straight into bytes. A large file's report
 * is about 100 MB of JSON; Jackson took about a second for it on one thread, and building it as
 * text and encoding that took 0.35-0.45 s on two. From {@value #PARALLEL_FROM} findings on, the
 * second half is formatted on a helper thread while the first half is written.
 * {@code LintJsonTest} holds it to Jackson's output.
 */
final class LintJson {

    /** Below this many findings, one thread. */
    static final int PARALLEL_FROM = 20_000;

    /** Findings formatted into one piece before it is written. */
    private static final int CHUNK = 512;

    private static final String EOL = System.lineSeparator();

    private LintJson() {
    }

    static void print(PrintStream out, LintReport report) {
        List<Finding> findings = report.findings();
        Chunk text = new Chunk(1 << 17);
        text.ascii("{" + EOL + "  \"findings\" : [");
        if (findings.isEmpty()) {
            text.ascii(" ");
        }
        int half = findings.size() < PARALLEL_FROM ? findings.size() : findings.size() / 2;
        CompletableFuture<List<Chunk>> second = half == findings.size() ? CompletableFuture.completedFuture(List.of())
                : CompletableFuture.supplyAsync(() -> format(findings, half, findings.size()), task -> {
                    Thread helper = new Thread(task, "reverso-lint-json");
                    helper.setDaemon(true);
                    helper.start();
                });
        for (int from = 0; from < half; from += CHUNK) {
            text.findings(findings, from, Math.min(half, from + CHUNK));
            text.writeTo(out);
        }
        for (Chunk chunk : second.join()) {
            chunk.writeTo(out);
        }
        if (!findings.isEmpty()) {
            text.ascii(" ");
        }
        text.ascii("]," + EOL + "  \"files\" : " + report.files() + "," + EOL + "  \"statements\" : " + report.statements()
                + EOL + "}");
        text.writeTo(out);
        out.flush();
        out.println();
    }

    /** The findings from {@code from} to {@code to}, in pieces of {@link #CHUNK}. */
    private static List<Chunk> format(List<Finding> findings, int from, int to) {
        List<Chunk> chunks = new ArrayList<>();
        for (int at = from; at < to; at += CHUNK) {
            Chunk chunk = new Chunk(CHUNK * 900);
            chunk.findings(findings, at, Math.min(to, at + CHUNK));
            chunks.add(chunk);
        }
        return chunks;
    }

    /**
     * One piece of the report as UTF-8 bytes. Each string is encoded in bulk and scanned as a byte
     * array: per-character calls on the String cost more than the rest of the formatting together
     * under C1, bin/reverso's compiler.
     */
    private static final class Chunk {

        private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
        private static final String[] FIELDS = {"ruleId", "severity", "file", "line", "column", "statement", "lock",
            "blocks", "message", "rewrite", "relation", "estimate"};
        /** {@code EOL + "    \"name\" : "} for each field, and the separators, encoded once. */
        private static final byte[][] FIELD_START = Arrays.stream(FIELDS)
                .map(name -> (EOL + "    \"" + name + "\" : ").getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
        private static final byte[] FIRST = " {".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] NEXT = ", {".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] END = (EOL + "  }").getBytes(StandardCharsets.US_ASCII);
        private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

        /** Per field, the last few strings written and their bytes: see {@link #repeated}. */
        private static final int WAYS = 4;

        private byte[] bytes;
        private int size;
        private final String[] written = new String[FIELDS.length * WAYS];
        private final byte[][] writtenBytes = new byte[FIELDS.length * WAYS][];
        private final int[] nextWay = new int[FIELDS.length];

        Chunk(int capacity) {
            bytes = new byte[capacity];
        }

        void findings(List<Finding> findings, int from, int to) {
            for (int i = from; i < to; i++) {
                raw(i == 0 ? FIRST : NEXT);
                finding(findings.get(i));
                raw(END);
            }
        }

        private void finding(Finding f) {
            repeatedField(0, f.ruleId());
            repeatedField(1, f.severity().name());
            repeatedField(2, f.file());
            raw(FIELD_START[3]);
            ascii(Integer.toString(f.line()));
            comma();
            raw(FIELD_START[4]);
            ascii(Integer.toString(f.column()));
            comma();
            field(5, f.statement());
            repeatedField(6, f.lock() == null ? null : f.lock().name());
            repeatedField(7, f.blocks());
            field(8, f.message());
            repeatedField(9, f.rewrite());
            repeatedField(10, f.relation());
            raw(FIELD_START[11]);
            value(f.estimate());
        }

        private void field(int index, String value) {
            raw(FIELD_START[index]);
            value(value);
            comma();
        }

        /**
         * A field whose value is often the very String of a recent finding (a rule id, the file, a
         * lock, a rule's fixed rewrite): its bytes are copied from the last time. Most of a large
         * report's findings are a few rules', and their rewrites are long.
         */
        private void repeatedField(int index, String value) {
            raw(FIELD_START[index]);
            if (value == null) {
                raw(NULL);
            } else {
                repeated(index, value);
            }
            comma();
        }

        private void repeated(int field, String value) {
            int ways = field * WAYS;
            for (int i = ways; i < ways + WAYS; i++) {
                if (written[i] == value) {
                    raw(writtenBytes[i]);
                    return;
                }
            }
            int start = size;
            string(value);
            int way = ways + nextWay[field];
            nextWay[field] = (nextWay[field] + 1) % WAYS;
            written[way] = value;
            writtenBytes[way] = Arrays.copyOfRange(bytes, start, size);
        }

        private void value(String value) {
            if (value == null) {
                raw(NULL);
            } else {
                string(value);
            }
        }

        private void comma() {
            room(1);
            bytes[size++] = ',';
        }

        void string(String value) {
            // String.getBytes gives the UTF-8 (an unpaired surrogate as '?') in bulk, a copy for
            // ASCII text; in UTF-8 only ASCII bytes can need escaping, so runs between escapes are
            // copied whole.
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            room(utf8.length * 6 + 2); // at most 6 bytes a byte (an escaped control character)
            bytes[size++] = '"';
            int run = 0;
            for (int i = 0; i < utf8.length; i++) {
                byte c = utf8[i];
                if ((c >= 0 && c < 0x20) || c == '"' || c == '\\') {
                    System.arraycopy(utf8, run, bytes, size, i - run);
                    size += i - run;
                    escape((char) c);
                    run = i + 1;
                }
            }
            System.arraycopy(utf8, run, bytes, size, utf8.length - run);
            size += utf8.length - run;
            bytes[size++] = '"';
        }

        private void escape(char c) {
            switch (c) {
                case '"' -> ascii("\\\"");
                case '\\' -> ascii("\\\\");
                case '\b' -> ascii("\\b");
                case '\t' -> ascii("\\t");
                case '\f' -> ascii("\\f");
                case '\n' -> ascii("\\n");
                case '\r' -> ascii("\\r");
                default -> {
                    ascii("\\u00");
                    room(2);
                    bytes[size++] = HEX[c >> 4];
                    bytes[size++] = HEX[c & 0xF];
                }
            }
        }

        /** Text known to be ASCII with nothing to escape. */
        void ascii(String text) {
            int n = text.length();
            room(n);
            for (int i = 0; i < n; i++) {
                bytes[size++] = (byte) text.charAt(i);
            }
        }

        private void raw(byte[] part) {
            room(part.length);
            System.arraycopy(part, 0, bytes, size, part.length);
            size += part.length;
        }

        private void room(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        void writeTo(PrintStream out) {
            out.write(bytes, 0, size);
            size = 0;
        }
    }
}
