package dev.reverso.verify;

import dev.reverso.PreflightReport.Item;
import dev.reverso.PreflightReport.Status;
import dev.reverso.engine.Step;
import dev.reverso.sql.Classification;
import dev.reverso.sql.LockMode;
import dev.reverso.sql.ObjectChange;
import dev.reverso.sql.ObjectKind;
import dev.reverso.sql.RelationLock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the connected role may run the pending statements, asked of the server before they run:
 * ownership (or membership in the owning role) of each existing table a statement alters, drops,
 * indexes or triggers; the table privileges a statement's reads, writes and references need;
 * CREATE on the schema a new object goes into; CREATE on the database for a new schema or a
 * trusted extension; superuser for an untrusted extension and the commands only a superuser may
 * run; and what Reverso needs of its own schema. A relation or schema that does not exist yet (an
 * earlier pending statement creates it) will be the role's own, so it is not asked about.
 */
public final class Privileges {

    private static final Pattern EXTENSION = Pattern.compile(
            "(?is)^\\s*create\\s+extension\\s+(?:if\\s+not\\s+exists\\s+)?(?:\"([^\"]+)\"|([\\w$]+))");
    private static final Pattern COPY_FILE = Pattern.compile("(?is)\\b(from|to)\\s+(program\\s+)?'");
    /** Only what needs a superuser on every supported version (15 lets ALTER SYSTEM be granted, 16 subscriptions). */
    private static final Set<String> SUPERUSER_ONLY = Set.of("CREATE EVENT TRIGGER", "ALTER EVENT TRIGGER", "DROP EVENT TRIGGER");
    private static final Set<String> ROLE_COMMANDS = Set.of("CREATE ROLE", "CREATE USER", "CREATE GROUP", "ALTER ROLE",
            "ALTER USER", "ALTER GROUP", "DROP ROLE", "DROP USER", "DROP GROUP");
    private static final Set<String> CREATING = Set.of("CREATE TABLE", "CREATE TABLE AS", "CREATE FOREIGN TABLE", "CREATE VIEW",
            "CREATE MATERIALIZED VIEW", "SELECT INTO");

    private final Connection c;
    private final String reversoSchema;
    /** What was asked about each relation already: a run of many migrations names the same tables again and again. */
    private final Map<String, Optional<Need>> asked = new java.util.HashMap<>();

    public Privileges(Connection c, String reversoSchema) {
        this.c = c;
        this.reversoSchema = reversoSchema;
    }

    /** The connected role, what Reverso needs of its schema, then each privilege a pending statement lacks. */
    public List<Item> check(Map<String, List<Step>> steps) throws SQLException {
        List<Item> items = new ArrayList<>();
        String[] role = row("select current_user, current_database(), r.rolsuper, r.rolcreaterole from pg_roles r"
                + " where r.rolname = current_user");
        boolean superuser = "t".equals(role[2]);
        items.add(new Item(Status.PASS, "connection", "connected to " + role[1] + " as " + role[0]
                + (superuser ? " (superuser)" : "")));
        reversoSchema(items);
        Map<String, Item> missing = new LinkedHashMap<>();
        Set<String> newSchemas = new HashSet<>();
        int statements = 0;
        for (Map.Entry<String, List<Step>> m : steps.entrySet()) {
            for (Step s : m.getValue()) {
                statements++;
                String where = m.getKey() + " line " + s.line() + " (" + s.classification().command() + ")";
                for (Need need : needs(s, newSchemas, superuser, "t".equals(role[3]))) {
                    missing.putIfAbsent(need.key(), new Item(Status.FAIL, "privileges", where + " needs " + need.what()
                            + "; " + role[0] + " " + need.lacks()));
                }
            }
        }
        if (missing.isEmpty()) {
            items.add(new Item(Status.PASS, "privileges", role[0] + " may run the " + statements + " pending statement"
                    + (statements == 1 ? "" : "s") + " (ownership, table privileges, CREATE on schemas and database)"));
        }
        items.addAll(missing.values());
        return items;
    }

    /** Reverso writes its history in its own schema; a missing one is created, which needs CREATE on the database. */
    private void reversoSchema(List<Item> items) throws SQLException {
        if (value("select to_regnamespace(?) is not null", quoted(reversoSchema)).equals("f")) {
            boolean create = value("select has_database_privilege(current_database(), 'CREATE')", null).equals("t");
            items.add(new Item(create ? Status.PASS : Status.FAIL, "reverso schema", create ? "schema " + reversoSchema
                    + " does not exist yet; the role may create it" : "schema " + reversoSchema + " does not exist and the role"
                    + " may not create it: it needs CREATE on the database (GRANT CREATE ON DATABASE), or create the schema for it"));
            return;
        }
        String sql = "select string_agg(c.relname, ', ' order by c.relname) from pg_class c where c.relnamespace = to_regnamespace(?)"
                + " and c.relkind = 'r' and not (has_table_privilege(c.oid, 'SELECT') and has_table_privilege(c.oid, 'INSERT')"
                + " and has_table_privilege(c.oid, 'UPDATE') and has_table_privilege(c.oid, 'DELETE'))";
        boolean usage = value("select has_schema_privilege(to_regnamespace(?), 'USAGE')", quoted(reversoSchema)).equals("t");
        String lacking = usage ? value(sql, quoted(reversoSchema)) : null;
        boolean ok = usage && lacking == null;
        items.add(new Item(ok ? Status.PASS : Status.FAIL, "reverso schema", ok ? "the role may read and write schema "
                + reversoSchema : !usage ? "the role has no USAGE on schema " + reversoSchema : "the role may not read and write "
                + reversoSchema + "'s tables " + lacking + " (SELECT, INSERT, UPDATE, DELETE)"));
    }

    /** One privilege a statement needs and the role lacks. */
    private record Need(String key, String what, String lacks) {
    }

    private List<Need> needs(Step s, Set<String> newSchemas, boolean superuser, boolean createRole) throws SQLException {
        Classification cl = s.classification();
        String command = cl.command();
        List<Need> out = new ArrayList<>();
        if (SUPERUSER_ONLY.contains(command) && !superuser) {
            out.add(new Need("superuser", "a superuser", "is not one"));
        }
        if (ROLE_COMMANDS.contains(command) && !superuser && !createRole) {
            out.add(new Need("createrole", "CREATEROLE", "does not have it"));
        }
        if (command.equals("COPY")) {
            copyFile(s.sql()).ifPresent(out::add);
        }
        if (command.equals("CREATE EXTENSION")) {
            extension(s.sql(), superuser).ifPresent(out::add);
        }
        Optional<ObjectChange> change = cl.change();
        if (change.isPresent() && change.get().action() == ObjectChange.Action.CREATE) {
            ObjectChange ch = change.get();
            if (ch.kind() == ObjectKind.SCHEMA) {
                newSchemas.add(ch.name());
                if (!ch.ifExists() || value("select to_regnamespace(?) is null", quoted(ch.name())).equals("t")) {
                    databaseCreate().ifPresent(out::add);
                }
            } else if (ch.kind() != ObjectKind.INDEX) {
                schemaCreate(ch.schema(), newSchemas).ifPresent(out::add);
            }
        }
        if (change.isPresent() && change.get().action() == ObjectChange.Action.DROP && change.get().kind() == ObjectKind.SCHEMA) {
            owner("select n.nspowner, 'schema ' || n.nspname from pg_namespace n where n.nspname = ?", change.get().name())
                    .ifPresent(out::add);
        }
        List<RelationLock> locks = cl.locks();
        for (int i = 0; i < locks.size(); i++) {
            String privilege = tablePrivilege(command, i, locks.get(i).mode());
            if (privilege != null) {
                relation(locks.get(i).relation(), privilege).ifPresent(out::add);
            }
        }
        return out;
    }

    /**
     * What a statement needs on the {@code i}th relation it names: OWNER for the object a DDL
     * statement changes (and a partition parent, a table to drop or attach), REFERENCES for a
     * foreign key's target, SELECT for what it reads, the verb for the table it writes; null for
     * what needs nothing the catalog can tell (VACUUM and ANALYZE skip tables they may not touch).
     */
    private static String tablePrivilege(String command, int i, LockMode mode) {
        String verb = command.split(" ")[0];
        switch (verb) {
            case "INSERT", "UPDATE", "DELETE" -> {
                return i == 0 ? verb : "SELECT";
            }
            case "MERGE" -> {
                return i == 0 ? "UPDATE" : "SELECT";
            }
            case "SELECT", "WITH", "TABLE", "EXPLAIN" -> {
                return "SELECT";
            }
            case "COPY" -> {
                return null;
            }
            case "TRUNCATE" -> {
                return "TRUNCATE";
            }
            case "VACUUM", "ANALYZE", "ANALYSE", "LOCK", "DO", "CALL", "EXECUTE" -> {
                return null;
            }
            default -> {
                boolean changed = i == 0 && !CREATING.contains(command);
                if (changed || mode == LockMode.ACCESS_EXCLUSIVE || mode == LockMode.SHARE_UPDATE_EXCLUSIVE) {
                    return "OWNER";
                }
                return mode == LockMode.SHARE_ROW_EXCLUSIVE ? "REFERENCES" : "SELECT";
            }
        }
    }

    private Optional<Need> relation(String relation, String privilege) throws SQLException {
        String key = privilege + " " + relation;
        Optional<Need> known = asked.get(key);
        if (known == null) {
            known = ask(relation, privilege);
            asked.put(key, known);
        }
        return known;
    }

    private Optional<Need> ask(String relation, String privilege) throws SQLException {
        String regclass = dev.reverso.catalog.Catalog.regclassText(relation);
        if (privilege.equals("OWNER")) {
            return owner("select c.relowner, c.oid::regclass::text from pg_class c where c.oid = to_regclass(?)", regclass);
        }
        String[] r = row("select c.oid::regclass::text, has_table_privilege(c.oid, ?) from pg_class c where c.oid = to_regclass(?)",
                privilege, regclass);
        if (r == null || r[1].equals("t")) {
            return Optional.empty();
        }
        return Optional.of(new Need(privilege + " " + r[0], privilege + " on " + r[0], "does not have it (GRANT " + privilege
                + " ON " + r[0] + ")"));
    }

    /** Altering or dropping an object needs its owner's role: owning it, or being a member of the owning role. */
    private Optional<Need> owner(String sql, String name) throws SQLException {
        String[] r = row("select pg_has_role(o.owner, 'MEMBER'), pg_get_userbyid(o.owner), o.what from (" + sql + ") o(owner, what)",
                name);
        if (r == null || r[0].equals("t")) {
            return Optional.empty();
        }
        return Optional.of(new Need("owner " + r[2], "to own " + r[2] + " (owner " + r[1] + ")", "is neither its owner nor a"
                + " member of " + r[1] + " (ALTER ... OWNER TO, or GRANT " + r[1] + " TO the role)"));
    }

    /** A new object goes into its schema, or the first schema of the search_path. */
    private Optional<Need> schemaCreate(String schema, Set<String> newSchemas) throws SQLException {
        String s = schema != null ? schema : value("select current_schema()", null);
        if (s == null || newSchemas.contains(s)) {
            return Optional.empty();
        }
        String[] r = row("select has_schema_privilege(n.oid, 'CREATE') from pg_namespace n where n.nspname = ?", s);
        if (r == null || r[0].equals("t")) {
            return Optional.empty();
        }
        return Optional.of(new Need("create " + s, "CREATE on schema " + s, "does not have it (GRANT CREATE ON SCHEMA " + s + ")"));
    }

    private Optional<Need> databaseCreate() throws SQLException {
        if (value("select has_database_privilege(current_database(), 'CREATE')", null).equals("t")) {
            return Optional.empty();
        }
        return Optional.of(new Need("create database", "CREATE on the database", "does not have it (GRANT CREATE ON DATABASE)"));
    }

    /** A trusted extension needs CREATE on the database; any other, a superuser. */
    private Optional<Need> extension(String sql, boolean superuser) throws SQLException {
        Matcher m = EXTENSION.matcher(sql);
        if (!m.find()) {
            return Optional.empty();
        }
        String name = m.group(1) != null ? m.group(1) : m.group(2).toLowerCase(Locale.ROOT);
        if (value("select count(*) from pg_extension where extname = ?", name).equals("1")) {
            return Optional.empty();
        }
        String[] r = row("select trusted from pg_available_extension_versions v join pg_available_extensions a"
                + " on a.name = v.name and a.default_version = v.version where v.name = ?", name);
        if (r == null) {
            return Optional.of(new Need("extension " + name, "extension " + name, "cannot have it: the server does not offer it"
                    + " (see pg_available_extensions)"));
        }
        if (r[0].equals("f") && !superuser) {
            return Optional.of(new Need("extension " + name, "a superuser (extension " + name + " is not trusted)", "is not one"));
        }
        return superuser ? Optional.empty() : databaseCreate();
    }

    /** COPY to or from a server file or program needs a superuser or the matching pg_*_server_* role. */
    private Optional<Need> copyFile(String sql) throws SQLException {
        Matcher m = COPY_FILE.matcher(sql);
        if (!m.find()) {
            return Optional.empty();
        }
        String role = m.group(2) != null ? "pg_execute_server_program"
                : m.group(1).equalsIgnoreCase("from") ? "pg_read_server_files" : "pg_write_server_files";
        if (value("select pg_has_role(?::name, 'MEMBER')", role).equals("t")) {
            return Optional.empty();
        }
        return Optional.of(new Need(role, "a superuser or membership in " + role + " (COPY with a server file)", "has neither"));
    }

    private static String quoted(String name) {
        return dev.reverso.sql.Identifiers.quote(name);
    }

    private String value(String sql, String parameter) throws SQLException {
        String[] r = parameter == null ? row(sql) : row(sql, parameter);
        return r == null ? null : r[0];
    }

    /** The first row as text, or null when there is none. */
    private String[] row(String sql, String... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String[] out = new String[rs.getMetaData().getColumnCount()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = rs.getString(i + 1);
                }
                return out;
            }
        }
    }
}
