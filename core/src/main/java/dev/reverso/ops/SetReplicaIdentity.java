package dev.reverso.ops;

import dev.reverso.sql.Identifiers;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;

/** {@code set_replica_identity}: set at start (it only changes what logical decoding logs); rollback restores the old one. */
record SetReplicaIdentity(String table, String type, String index) implements Operation {

    static SetReplicaIdentity read(Field f) throws DocumentError {
        f.only(Set.of("table", "identity"));
        Field id = f.object("identity");
        String type = (id.has("type") ? id.text("type") : id.text("Type")).toUpperCase(Locale.ROOT);
        if (!Set.of("DEFAULT", "FULL", "NOTHING", "INDEX").contains(type)) {
            throw new DocumentError(id.path() + ".type", "expected default, full, nothing or index");
        }
        String index = id.optionalText("index").or(() -> optional(id, "Index")).orElse(null);
        if (type.equals("INDEX") && index == null) {
            throw new DocumentError(id.path() + ".index", "missing; replica identity index needs the index's name");
        }
        return new SetReplicaIdentity(f.text("table"), type, index);
    }

    private static java.util.Optional<String> optional(Field f, String name) {
        try {
            return f.optionalText(name);
        } catch (DocumentError e) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public String kind() {
        return "set_replica_identity";
    }

    @Override
    public void plan(Planner p, String path) throws DocumentError, SQLException {
        LiveTable t = p.table(path + ".table", table);
        if (index != null && t.indexes().stream().noneMatch(i -> i.name().equals(index))) {
            throw new DocumentError(path + ".identity.index", "table " + table + " has no index named " + index);
        }
        String qt = p.qualified(t);
        String before = t.createdHere() ? "DEFAULT" : p.replicaIdentity(t);
        p.expand("replica identity " + type.toLowerCase(Locale.ROOT), "ALTER TABLE " + qt + " REPLICA IDENTITY "
                + (type.equals("INDEX") ? "USING INDEX " + Identifiers.quote(index) : type));
        p.undoLater("restore replica identity", "ALTER TABLE " + qt + " REPLICA IDENTITY " + before);
    }
}
