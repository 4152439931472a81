package dev.reverso.ops;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A node of an operation document together with its JSON path, so that every complaint about the
 * document names the exact place it is about.
 */
record Field(JsonNode node, String path) {

    static Field root(JsonNode node) {
        return new Field(node, "$");
    }

    Field child(String name) {
        return new Field(node.get(name), path + "." + name);
    }

    boolean has(String name) {
        return node.has(name);
    }

    /** Refuses fields this object does not know, the usual sign of a typo. */
    Field only(Set<String> known) throws DocumentError {
        if (!node.isObject()) {
            throw new DocumentError(path, "expected an object, found " + kind(node));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw new DocumentError(path + "." + name, "unknown field; expected one of " + String.join(", ", known.stream().sorted().toList()));
            }
        }
        return this;
    }

    String text(String name) throws DocumentError {
        Field f = child(name);
        if (f.node == null || f.node.isNull()) {
            throw new DocumentError(f.path, "missing");
        }
        String s = f.string();
        if (s.isBlank()) {
            throw new DocumentError(f.path, "must not be empty");
        }
        return s;
    }

    Optional<String> optionalText(String name) throws DocumentError {
        Field f = child(name);
        if (f.node == null || f.node.isNull()) {
            return Optional.empty();
        }
        String s = f.string();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    boolean bool(String name, boolean otherwise) throws DocumentError {
        Field f = child(name);
        if (f.node == null || f.node.isNull()) {
            return otherwise;
        }
        if (!f.node.isBoolean()) {
            throw new DocumentError(f.path, "expected true or false, found " + kind(f.node));
        }
        return f.node.booleanValue();
    }

    Optional<Boolean> optionalBool(String name) throws DocumentError {
        return has(name) && !node.get(name).isNull() ? Optional.of(bool(name, false)) : Optional.empty();
    }

    Optional<Field> optionalObject(String name) throws DocumentError {
        Field f = child(name);
        if (f.node == null || f.node.isNull()) {
            return Optional.empty();
        }
        if (!f.node.isObject()) {
            throw new DocumentError(f.path, "expected an object, found " + kind(f.node));
        }
        return Optional.of(f);
    }

    Field object(String name) throws DocumentError {
        return optionalObject(name).orElseThrow(() -> new DocumentError(child(name).path, "missing"));
    }

    List<Field> array(String name) throws DocumentError {
        Field f = child(name);
        if (f.node == null || f.node.isNull()) {
            throw new DocumentError(f.path, "missing");
        }
        if (!f.node.isArray()) {
            throw new DocumentError(f.path, "expected a list, found " + kind(f.node));
        }
        List<Field> out = new ArrayList<>();
        for (int i = 0; i < f.node.size(); i++) {
            out.add(new Field(f.node.get(i), f.path + "[" + i + "]"));
        }
        return out;
    }

    List<String> texts(String name) throws DocumentError {
        List<String> out = new ArrayList<>();
        for (Field f : array(name)) {
            String s = f.string();
            if (s.isBlank()) {
                throw new DocumentError(f.path, "must not be empty");
            }
            out.add(s);
        }
        if (out.isEmpty()) {
            throw new DocumentError(child(name).path, "must name at least one");
        }
        return out;
    }

    /** An object of column name to SQL expression (create_constraint's up and down). */
    Map<String, String> expressions(String name) throws DocumentError {
        Map<String, String> out = new LinkedHashMap<>();
        Optional<Field> f = optionalObject(name);
        if (f.isPresent()) {
            for (Iterator<String> it = f.get().node.fieldNames(); it.hasNext(); ) {
                String column = it.next();
                out.put(column, f.get().child(column).string());
            }
        }
        return out;
    }

    String string() throws DocumentError {
        if (!node.isTextual()) {
            throw new DocumentError(path, "expected a string, found " + kind(node));
        }
        return node.textValue();
    }

    private static String kind(JsonNode n) {
        if (n.isObject()) {
            return "an object";
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isNumber()) {
            return "a number (" + n + ")";
        }
        if (n.isBoolean()) {
            return n.toString();
        }
        return n.isNull() ? "null" : "'" + n.asText() + "'";
    }
}
