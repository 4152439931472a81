package dev.reverso.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An operation migration in pgroll's format, read from JSON or the same document as YAML:
 * {@code {"name": "...", "operations": [{"add_column": {...}}, ...]}}.
 *
 * @param name the document's name field, or null (the file name names the migration)
 * @param operations in document order
 */
public record OpsDocument(String name, List<Operation> operations) {

    private static final Map<String, Reader> READERS = Map.ofEntries(
            Map.entry("create_table", CreateTable::read),
            Map.entry("add_column", AddColumn::read),
            Map.entry("drop_column", DropColumn::read),
            Map.entry("rename_column", RenameColumn::read),
            Map.entry("alter_column", AlterColumn::read),
            Map.entry("create_index", CreateIndex::read),
            Map.entry("drop_index", DropIndex::read),
            Map.entry("rename_table", RenameTable::read),
            Map.entry("drop_table", DropTable::read),
            Map.entry("create_constraint", CreateConstraint::read),
            Map.entry("drop_constraint", DropConstraint::read),
            Map.entry("drop_multicolumn_constraint", DropConstraint::read),
            Map.entry("rename_constraint", RenameConstraint::read),
            Map.entry("set_replica_identity", SetReplicaIdentity::read),
            Map.entry("sql", RawSql::read));

    @FunctionalInterface
    private interface Reader {
        Operation read(Field f) throws DocumentError;
    }

    public OpsDocument {
        operations = List.copyOf(operations);
    }

    /**
     * Reads a document.
     *
     * @param fileName decides JSON or YAML by its extension
     * @throws DocumentError naming the JSON path of the first problem
     */
    public static OpsDocument parse(String fileName, String text) throws DocumentError {
        ObjectMapper mapper = fileName.endsWith(".yaml") || fileName.endsWith(".yml") ? new YAMLMapper() : new ObjectMapper();
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new DocumentError("$", "not valid " + (mapper instanceof YAMLMapper ? "YAML" : "JSON") + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new DocumentError("$", "the document is empty");
        }
        Field doc = Field.root(root).only(Set.of("name", "operations"));
        List<Operation> ops = new ArrayList<>();
        for (Field op : doc.array("operations")) {
            ops.add(operation(op));
        }
        if (ops.isEmpty()) {
            throw new DocumentError("$.operations", "the migration has no operation");
        }
        return new OpsDocument(doc.optionalText("name").orElse(null), ops);
    }

    private static Operation operation(Field op) throws DocumentError {
        if (!op.node().isObject() || op.node().size() != 1) {
            throw new DocumentError(op.path(), "each operation is an object with exactly one key, the operation's name");
        }
        Iterator<String> names = op.node().fieldNames();
        String kind = names.next();
        Reader reader = READERS.get(kind);
        if (reader == null) {
            throw new DocumentError(op.path() + "." + kind, "unknown operation; expected one of "
                    + String.join(", ", READERS.keySet().stream().sorted().toList()));
        }
        Field body = op.child(kind);
        if (!body.node().isObject()) {
            throw new DocumentError(body.path(), "expected an object");
        }
        return reader.read(body);
    }

    /** The JSON path of operation i, as errors name it. */
    public String path(int i) {
        return "$.operations[" + i + "]." + operations.get(i).kind();
    }

    /** Raw SQL an operation carries, with where it is in the document. */
    public record EmbeddedSql(String path, String sql) {
    }

    /**
     * An operation that loses data or breaks readers on complete, though it takes no dangerous lock.
     *
     * @param ruleId the lint hazard it is (LINT_HAZARDS.md)
     */
    public record Hazard(String path, String ruleId, String what) {
    }

    /** The SQL of {@code sql} operations, which Reverso runs as written (up at start or complete, down on rollback). */
    public List<EmbeddedSql> embeddedSql() {
        List<EmbeddedSql> out = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            if (operations.get(i) instanceof RawSql raw) {
                out.add(new EmbeddedSql(path(i) + ".up", raw.up()));
                if (raw.down() != null) {
                    out.add(new EmbeddedSql(path(i) + ".down", raw.down()));
                }
            }
        }
        return out;
    }

    /** What the operations destroy on complete: expand/contract keeps them lock-safe, not lossless. */
    public List<Hazard> hazards() {
        List<Hazard> out = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            Operation op = operations.get(i);
            if (op instanceof DropColumn d) {
                out.add(new Hazard(path(i), "drop-column", "complete drops column " + d.table() + "." + d.column()
                        + " and its data"));
            } else if (op instanceof DropTable d) {
                out.add(new Hazard(path(i), "drop-table", "complete drops table " + d.name() + " and its rows"));
            } else if (op instanceof DropConstraint d && d.name() != null) {
                out.add(new Hazard(path(i), "drop-foreign-key", "complete drops constraint " + d.name() + " of " + d.table()
                        + " (if it is a foreign key, its integrity guarantee goes)"));
            } else if (op instanceof AlterColumn a && Boolean.TRUE.equals(a.nullable())) {
                out.add(new Hazard(path(i), "drop-not-null", "column " + a.table() + "." + a.column()
                        + " accepts NULL after complete; readers that assume a value break"));
            }
        }
        return out;
    }
}
