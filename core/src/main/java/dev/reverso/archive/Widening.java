package dev.reverso.archive;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The type changes that keep every value exactly (a wider integer, a longer or unlimited varchar,
 * numeric with more digits, real to double precision): those need no archive. Anything else is
 * treated as lossy.
 */
final class Widening {

    private static final Pattern MODIFIED = Pattern.compile("^([a-z ]+?)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?$");

    private Widening() {
    }

    /** Why changing {@code oldType} (as format_type prints it) to {@code newType} (as written) loses nothing, if it does not. */
    static Optional<String> lossless(String oldType, String newType) {
        Type from = Type.parse(oldType);
        Type to = Type.parse(newType);
        if (from == null || to == null) {
            return Optional.empty();
        }
        boolean widening = switch (from.name) {
            case "smallint" -> to.name.equals("integer") || to.name.equals("bigint") || unlimitedNumeric(to);
            case "integer" -> to.name.equals("bigint") || unlimitedNumeric(to);
            case "bigint" -> unlimitedNumeric(to);
            case "real" -> to.name.equals("double precision");
            case "character varying" -> to.name.equals("text")
                    || to.name.equals("character varying") && (to.length < 0 || from.length >= 0 && to.length >= from.length);
            case "text" -> to.name.equals("text") || to.name.equals("character varying") && to.length < 0;
            case "numeric" -> to.name.equals("numeric") && (to.length < 0
                    || from.length >= 0 && to.scale == from.scale && to.length >= from.length);
            default -> false;
        };
        return widening ? Optional.of("lossless: " + oldType + " to " + newType) : Optional.empty();
    }

    private static boolean unlimitedNumeric(Type t) {
        return t.name.equals("numeric") && t.length < 0;
    }

    private record Type(String name, int length, int scale) {
        static Type parse(String text) {
            Matcher m = MODIFIED.matcher(text.strip().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                return null;
            }
            String name = switch (m.group(1).strip()) {
                case "int2" -> "smallint";
                case "int", "int4" -> "integer";
                case "int8" -> "bigint";
                case "float4" -> "real";
                case "float8", "double precision" -> "double precision";
                case "varchar", "character varying" -> "character varying";
                case "decimal", "numeric" -> "numeric";
                default -> m.group(1).strip();
            };
            int length = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
            int scale = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
            return new Type(name, length, scale);
        }
    }
}
