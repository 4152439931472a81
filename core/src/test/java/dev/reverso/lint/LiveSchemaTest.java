package dev.reverso.lint;

import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;
import dev.reverso.lint.rules.Rules;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connected mode against the real server: the live schema read from the catalog, and the findings
 * that depend on it (an existing index, a validated CHECK, a live column type, a table's size).
 */
class LiveSchemaTest {

    static ScratchDatabase db;

    @BeforeAll
    static void createSchema() {
        db = ScratchDatabase.create(LiveSchemaTest.class);
        db.execute("create table users (id bigint primary key, email varchar(50), phone text,"
                + " constraint users_email_nn check (email is not null), constraint users_id_positive check (id > 0));"
                + " alter table users add constraint users_phone_nn check (phone is not null) not valid;"
                + " create table orders (id bigint primary key, user_id bigint, total numeric(10,2), note text);"
                + " create index orders_user_idx on orders (user_id) include (total);"
                + " create index orders_note_idx on orders (lower(note));"
                + " create unique index orders_total_idx on orders (total) where total > 0;"
                + " create table payments (id bigint primary key, user_id bigint);"
                + " create table refunds (id bigint primary key, user_id bigint);"
                + " insert into refunds values (1, 7), (2, 7);"
                + " create table events (id bigint primary key, kind text);"
                + " insert into events select g, 'k' || g % 10 from generate_series(1, 5000) g;"
                + " analyze events;"
                + " create table ledger (entry_no bigint primary key, posted_at timestamptz);"
                + " create view paying_users as select distinct user_id from payments;"
                + " create schema reverso; create table reverso.migrations (version text primary key);"
                + " create schema billing; create table billing.invoices (id bigint primary key, amount int not null)");
        // A unique build that fails on the duplicates leaves an invalid index, which serves no query.
        try {
            db.execute("create unique index concurrently refunds_user_idx on refunds (user_id)");
        } catch (IllegalStateException expected) {
            // could not create unique index: the index is left invalid
        }
    }

    @AfterAll
    static void dropSchema() {
        db.close();
    }

    private static SchemaState live() throws Exception {
        try (Connection c = db.connect()) {
            SchemaState schema = LiveSchema.read(c, List.of("reverso"));
            assertThat(c.getAutoCommit()).as("the connection is left as it was").isTrue();
            return schema;
        }
    }

    @Test
    void readsColumnsConstraintsAndIndexesFromTheCatalog() throws Exception {
        SchemaState schema = live();

        assertThat(schema.knownTable("users")).isTrue();
        assertThat(schema.knownTable("public.users")).isTrue();
        assertThat(schema.knownTable("billing.invoices")).isTrue();
        assertThat(schema.knownTable("paying_users")).as("views are relations too").isTrue();
        assertThat(schema.knownTable("reverso.migrations")).as("Reverso's own schema is left out").isFalse();
        assertThat(schema.knownTable("pg_class")).isFalse();
        assertThat(schema.createdInCurrentMigration("users")).as("no migration created it").isFalse();

        assertThat(schema.columns("users")).containsExactly(new SchemaState.Column("id", "bigint", true),
                new SchemaState.Column("email", "varchar(50)", false), new SchemaState.Column("phone", "text", false));
        assertThat(schema.columnType("orders", "total")).hasValue("numeric(10,2)");
        assertThat(schema.column("billing.invoices", "amount")).hasValueSatisfying(c -> assertThat(c.notNull()).isTrue());

        assertThat(schema.constraints("users")).containsExactlyInAnyOrder(
                new SchemaState.Constraint("users_pkey", "users", "PRIMARY KEY", List.of("id"), true, false),
                new SchemaState.Constraint("users_email_nn", "users", "CHECK", List.of("email"), true, true),
                new SchemaState.Constraint("users_id_positive", "users", "CHECK", List.of(), true, false),
                new SchemaState.Constraint("users_phone_nn", "users", "CHECK", List.of("phone"), false, true));
        assertThat(schema.hasValidatedNotNullCheck("users", "email")).isTrue();
        assertThat(schema.hasValidatedNotNullCheck("users", "phone")).isFalse();

        assertThat(schema.indexesOn("orders")).containsExactlyInAnyOrder(
                new SchemaState.Index("orders_pkey", "orders", List.of("id"), true, false),
                new SchemaState.Index("orders_user_idx", "orders", List.of("user_id"), false, false),
                new SchemaState.Index("orders_note_idx", "orders", List.of("(expression)"), false, false),
                new SchemaState.Index("orders_total_idx", "orders", List.of("total"), true, true));
        assertThat(schema.index("refunds_user_idx")).as("an invalid index is left out").isEmpty();
        assertThat(schema.index("invoices_pkey")).hasValueSatisfying(i -> assertThat(i.table()).isEqualTo("billing.invoices"));
    }

    @Test
    void foreignKeysAreJudgedByTheLiveIndexes() {
        String fks = "alter table orders add constraint orders_user_fk foreign key (user_id) references users (id) not valid;\n"
                + "alter table payments add constraint payments_user_fk foreign key (user_id) references users (id) not valid;\n"
                + "alter table refunds add constraint refunds_user_fk foreign key (user_id) references users (id) not valid;";

        assertThat(connected(fks, 100_000).stream().filter(f -> f.ruleId().equals("fk-without-index")).map(Finding::relation))
                .as("orders_user_idx covers orders; payments has no index; refunds only an invalid one")
                .containsExactly("payments", "refunds");
        assertThat(offline(fks)).as("offline, the indexes of tables no migration created are unknown")
                .doesNotContain("fk-without-index");
    }

    @Test
    void setNotNullIsProvenByAValidatedLiveCheck() {
        assertThat(ids(connected("alter table users alter column email set not null;", 100_000))).doesNotContain("set-not-null");
        assertThat(ids(connected("alter table users alter column phone set not null;", 100_000)))
                .as("the CHECK on phone is NOT VALID").contains("set-not-null");
        assertThat(offline("alter table users alter column email set not null;")).contains("set-not-null");
    }

    @Test
    void aTypeChangeIsJudgedByTheLiveType() {
        assertThat(ids(connected("alter table users alter column email type text;", 100_000)))
                .doesNotContain("change-column-type-rewrite");
        assertThat(ids(connected("alter table users alter column email type varchar(20);", 100_000)))
                .as("a shorter limit rewrites").contains("change-column-type-rewrite");
        assertThat(offline("alter table users alter column email type text;")).contains("change-column-type-rewrite");
    }

    @Test
    void aSizeBoundFindingIsJudgedByTheTablesLiveSize() {
        String build = "create index events_kind_idx on events (kind);";
        Finding small = only(connected(build, 100_000), "create-index-non-concurrent");
        assertThat(small.severity()).as("5,000 rows is below the threshold").isEqualTo(Severity.INFO);
        assertThat(small.estimate()).contains("~5,000 rows");
        assertThat(only(connected(build, 1_000), "create-index-non-concurrent").severity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void aBackfillIsBatchedByTheLivePrimaryKey() {
        String copy = "insert into ledger_archive select * from ledger where entry_no >= 1 and entry_no < 10001;";
        assertThat(ids(connected(copy, 100_000))).as("entry_no is ledger's live primary key").doesNotContain("unbatched-backfill");
        assertThat(offline(copy)).as("offline, entry_no is no known key").contains("unbatched-backfill");
        Finding all = only(connected("insert into ledger_archive select * from ledger;", 100_000), "unbatched-backfill");
        assertThat(all.rewrite()).contains("WHERE entry_no >= :lo AND entry_no < :lo + 10000");
    }

    private static List<Finding> connected(String sql, long bigTableRows) {
        Reverso reverso = Reverso.with(ReversoConfig.of(db.url(), Path.of(".")));
        return reverso.lint(List.of(new Linter.Source("0001_case.up.sql", sql)), LintSettings.defaults(), bigTableRows)
                .findings();
    }

    private static List<String> offline(String sql) {
        return ids(new Linter(Rules.all(), LintSettings.defaults()).lint(List.of(new Linter.Source("0001_case.up.sql", sql)))
                .findings());
    }

    private static List<String> ids(List<Finding> findings) {
        return findings.stream().map(Finding::ruleId).toList();
    }

    private static Finding only(List<Finding> findings, String ruleId) {
        List<Finding> matching = findings.stream().filter(f -> f.ruleId().equals(ruleId)).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }
}
