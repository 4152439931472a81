package dev.reverso.lint;

import dev.reverso.lint.rules.SafetyRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.reverso.lint.RuleCases.findings;
import static dev.reverso.lint.RuleCases.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Sections 2b and 2c of LINT_HAZARDS.md (#28-43): what each rule must catch and what it must leave alone. */
class SafetyRulesTest {

    private static final String LONG = "a".repeat(64);
    private static final String LONG_UTF8 = "é".repeat(32);

    static Stream<Arguments> caught() {
        return Stream.of(
                arguments("add-column-required", "alter table users add column status text not null;"),
                arguments("add-column-required", "alter table users add column id bigint primary key;"),
                arguments("add-column-required", "create table users (id bigint);\n---\nalter table users add column s text not null;"),
                arguments("add-column-required", "ALTER TABLE public.users ADD COLUMN b int, ADD COLUMN IF NOT EXISTS \"S\" text NOT NULL;"),

                arguments("uniqueness-on-existing-data", "create unique index concurrently users_email_key on users (email);"),
                arguments("uniqueness-on-existing-data", "create unique index users_email_key on users (lower(email)) where deleted_at is null;"),
                arguments("uniqueness-on-existing-data", "alter table users add constraint users_email_key unique (email);"),
                arguments("uniqueness-on-existing-data", "alter table users add primary key (id);"),
                arguments("uniqueness-on-existing-data", "alter table bookings add constraint no_overlap exclude using gist (room with =, during with &&);"),

                arguments("add-enum-value-in-transaction", "alter type mood add value 'ecstatic';\nupdate people set mood = 'ecstatic' where id = 1;"),
                arguments("add-enum-value-in-transaction", "alter type mood add value if not exists 'ecstatic' after 'happy';\ninsert into people (mood) values ('ecstatic');"),

                arguments("unbalanced-transaction", "begin;\ncreate table t (id bigint);"),
                arguments("unbalanced-transaction", "create table t (id bigint);\ncommit;"),
                arguments("unbalanced-transaction", "begin;\nbegin;\ncreate table t (id bigint);\ncommit;"),
                arguments("unbalanced-transaction", "begin;\ncreate table a (id bigint);\ncommit;\ncreate table b (id bigint);"),
                arguments("unbalanced-transaction", "create table a (id bigint);\nsavepoint s;\ncreate table b (id bigint);"),
                arguments("unbalanced-transaction", "begin;\ncreate table a (id bigint);\nrollback;"),
                arguments("unbalanced-transaction", "create table a (id bigint);\nrollback;"),

                arguments("non-atomic-multi-statement", "-- reverso:no-transaction\ncreate table a (id bigint);\ncreate table b (id bigint);"),
                arguments("non-atomic-multi-statement", "create index concurrently a_idx on a (x);\ncreate index concurrently b_idx on b (x);"),
                arguments("non-atomic-multi-statement", "-- reverso:no-transaction\nalter table a add column x int;\nupdate a set x = 1;"),
                arguments("non-atomic-multi-statement", "-- reverso:no-transaction\ndrop index a_idx;\ncreate index concurrently a_idx on a (x);"),
                arguments("non-atomic-multi-statement", "-- reverso:no-transaction\nalter type mood add value 'x';\nvacuum a;"),

                arguments("duplicate-column-assignment", "create table t (a int, b int, a text);"),
                arguments("duplicate-column-assignment", "create table t (\"A\" int, \"A\" int);"),
                arguments("duplicate-column-assignment", "update t set a = 1, b = 2, a = 3;"),
                arguments("duplicate-column-assignment", "update t set (a, b) = (1, 2), a = 3 where id = 1;"),
                arguments("duplicate-column-assignment", "insert into t (a, b, a) values (1, 2, 3);"),
                arguments("duplicate-column-assignment", "insert into t (a) values (1) on conflict (a) do update set b = 1, b = 2;"),
                arguments("duplicate-column-assignment", "create view v (x, y, x) as select 1, 2, 3;"),
                arguments("duplicate-column-assignment", "alter table t add column a int, add column a text;"),

                arguments("identifier-too-long", "create table " + LONG + " (id bigint);"),
                arguments("identifier-too-long", "create table t (" + LONG + " int);"),
                arguments("identifier-too-long", "create table t (" + LONG_UTF8 + " int);"),
                arguments("identifier-too-long", "create index " + LONG + " on t (x);"),
                arguments("identifier-too-long", "alter table t add constraint " + LONG + " check (x > 0) not valid;"),
                arguments("identifier-too-long", "alter table t add column " + LONG + " int;"),
                arguments("identifier-too-long", "alter table t rename column x to " + LONG + ";"),
                arguments("identifier-too-long", "create trigger " + LONG + " after insert on t for each row execute function f();"),

                arguments("drop-column", "alter table users drop column email;"),
                arguments("drop-column", "alter table users drop email cascade;"),
                arguments("drop-column", "alter table users add column x int, drop column if exists email;"),

                arguments("drop-table", "drop table users;"),
                arguments("drop-table", "drop table if exists users, orders cascade;"),
                arguments("drop-table", "drop table users;\ncreate table users (id bigint);"),
                arguments("drop-table", "create table t (id bigint);\n---\ndrop table t;"),

                arguments("drop-schema-or-database", "drop schema billing cascade;"),
                arguments("drop-schema-or-database", "drop schema if exists billing;"),
                arguments("drop-schema-or-database", "drop database legacy;"),

                arguments("rename-column", "alter table users rename column email to email_address;"),
                arguments("rename-column", "alter table users rename email to email_address;"),
                arguments("rename-column", "alter view active_users rename column a to b;"),

                arguments("rename-table-or-schema", "alter table users rename to people;"),
                arguments("rename-table-or-schema", "alter table if exists public.users rename to people;"),
                arguments("rename-table-or-schema", "alter view active_users rename to live_users;"),
                arguments("rename-table-or-schema", "alter schema billing rename to invoicing;"),

                arguments("rename-enum-value", "alter type mood rename value 'sad' to 'blue';"),

                arguments("drop-not-null", "alter table users alter column email drop not null;"),
                arguments("drop-not-null", "alter table users alter email drop not null, alter name set default '';"),

                arguments("truncate-table", "truncate users;"),
                arguments("truncate-table", "truncate table users, orders restart identity;"),
                arguments("truncate-table", "truncate users cascade;"),

                arguments("drop-foreign-key", "alter table orders drop constraint orders_customer_id_fkey;"),
                arguments("drop-foreign-key", "alter table orders drop constraint if exists fk_orders_customer;"));
    }

    static Stream<Arguments> leftAlone() {
        return Stream.of(
                arguments("add-column-required", "alter table users add column status text not null default 'new';"),
                arguments("add-column-required", "alter table users add column status text;"),
                arguments("add-column-required", "create table users (id bigint);\nalter table users add column s text not null;"),
                arguments("add-column-required", "alter table users add column id bigint generated always as identity;"),
                arguments("add-column-required", "alter table users add column n bigint not null generated always as (a + b) stored;"),
                arguments("add-column-required", "alter table users add column id bigserial not null;"),
                arguments("add-column-required", "alter table users alter column status set not null;"),

                arguments("uniqueness-on-existing-data", "create index users_email_idx on users (email);"),
                arguments("uniqueness-on-existing-data", "create table users (email text);\ncreate unique index users_email_key on users (email);"),
                arguments("uniqueness-on-existing-data", "alter table users add constraint users_email_key unique using index users_email_idx;"),
                arguments("uniqueness-on-existing-data", "alter table users add constraint users_age_check check (age > 0) not valid;"),

                arguments("add-enum-value-in-transaction", "alter type mood add value 'ecstatic';"),
                arguments("add-enum-value-in-transaction", "-- reverso:no-transaction\nalter type mood add value 'ecstatic';\nupdate people set mood = 'ecstatic';"),
                arguments("add-enum-value-in-transaction", "create type mood as enum ('sad', 'happy');\nalter type mood add value 'ecstatic';\ninsert into people (mood) values ('ecstatic');"),
                arguments("add-enum-value-in-transaction", "alter type mood add value 'ecstatic';\n---\nupdate people set mood = 'ecstatic';"),
                arguments("add-enum-value-in-transaction", "alter type mood add value 'ecstatic';\nupdate people set mood = 'happy';"),

                arguments("unbalanced-transaction", "begin;\ncreate table a (id bigint);\ncommit;"),
                arguments("unbalanced-transaction", "start transaction;\ncreate table a (id bigint);\nend;"),
                arguments("unbalanced-transaction", "create table a (id bigint);"),

                arguments("non-atomic-multi-statement", "create table a (id bigint);\ncreate table b (id bigint);"),
                arguments("non-atomic-multi-statement", "create index concurrently a_idx on a (x);"),
                arguments("non-atomic-multi-statement", "-- reverso:no-transaction\ncreate table if not exists a (id bigint);\n"
                        + "drop table if exists b;\nalter table a add column if not exists x int;\ncreate or replace view v as select 1;\n"
                        + "drop index concurrently if exists a_idx;"),
                arguments("non-atomic-multi-statement", "-- reverso:no-transaction\nupdate a set x = 1 where id < 1000;\n"
                        + "update a set x = 1 where id >= 1000;"),

                arguments("duplicate-column-assignment", "update t set a = 1, b = 2 where a = 3;"),
                arguments("duplicate-column-assignment", "update t set arr[1] = 1, arr[2] = 2;"),
                arguments("duplicate-column-assignment", "insert into t (a, b) select a, a from s;"),
                arguments("duplicate-column-assignment", "create table t (a int, b int, constraint t_a_key unique (a), check (a > b));"),
                arguments("duplicate-column-assignment", "create view v as select a, a from t;"),

                arguments("identifier-too-long", "create table " + "a".repeat(63) + " (id bigint);"),
                arguments("identifier-too-long", "create table t (" + "é".repeat(31) + " int);"),
                arguments("identifier-too-long", "alter table t drop constraint " + LONG + ";"),
                arguments("identifier-too-long", "select " + LONG + " from t;"),

                arguments("drop-column", "alter table users drop constraint users_email_key;"),
                arguments("drop-column", "alter table users alter column email drop default;"),
                arguments("drop-column", "create table users (id bigint, email text);\nalter table users drop column email;"),

                arguments("drop-table", "create table t (id bigint);\ndrop table t;"),
                arguments("drop-table", "drop view v;"),
                arguments("drop-table", "drop index concurrently i;"),

                arguments("drop-schema-or-database", "create schema billing;"),
                arguments("drop-schema-or-database", "drop table billing.invoices;"),

                arguments("rename-column", "alter table users rename to people;"),
                arguments("rename-column", "alter table users rename constraint a to b;"),
                arguments("rename-column", "create table users (email text);\nalter table users rename column email to mail;"),

                arguments("rename-table-or-schema", "alter table users rename column a to b;"),
                arguments("rename-table-or-schema", "create table users (id bigint);\nalter table users rename to people;"),
                arguments("rename-table-or-schema", "alter index users_idx rename to people_idx;"),

                arguments("rename-enum-value", "alter type mood add value 'x' after 'sad';"),
                arguments("rename-enum-value", "alter type mood rename to feeling;"),

                arguments("drop-not-null", "alter table users alter column email set not null;"),
                arguments("drop-not-null", "create table users (email text not null);\nalter table users alter column email drop not null;"),

                arguments("truncate-table", "delete from users where id = 1;"),
                arguments("truncate-table", "create table t (id bigint);\ntruncate t;"),

                arguments("drop-foreign-key", "alter table orders drop constraint orders_total_check;"),
                arguments("drop-foreign-key", "alter table orders add constraint orders_c_fk foreign key (c) references customers (id) not valid;\n"
                        + "alter table orders drop constraint orders_c_fk;"),
                arguments("drop-foreign-key", "alter table orders drop column customer_fk;"));
    }

    @ParameterizedTest(name = "{0} catches: {1}")
    @MethodSource("caught")
    void catches(String rule, String sql) {
        assertThat(findings(rule, sql)).as(sql).isNotEmpty();
    }

    @ParameterizedTest(name = "{0} leaves alone: {1}")
    @MethodSource("leftAlone")
    void leavesAlone(String rule, String sql) {
        assertThat(findings(rule, sql)).as(sql).isEmpty();
    }

    @Test
    void rulesAreRegisteredInHazardOrder() {
        assertThat(SafetyRules.all().stream().map(r -> r.id())).containsExactly(
                "add-column-required", "uniqueness-on-existing-data", "add-enum-value-in-transaction",
                "unbalanced-transaction", "non-atomic-multi-statement", "duplicate-column-assignment",
                "identifier-too-long", "drop-column", "drop-table", "drop-schema-or-database", "rename-column",
                "rename-table-or-schema", "rename-enum-value", "drop-not-null", "truncate-table", "drop-foreign-key");
    }

    @Test
    void addColumnRequiredNamesTheTableAndColumnAndOffersAConstantDefault() {
        Finding f = single("add-column-required", "alter table orders add column status text not null;");
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.message()).contains("status", "orders", "23502");
        assertThat(f.rewrite()).startsWith("ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT <constant>;");
    }

    @Test
    void uniquenessRewriteIsADuplicateQuery() {
        Finding f = single("uniqueness-on-existing-data",
                "create unique index concurrently users_email_key on users (lower(email) desc) where deleted_at is null;");
        assertThat(f.message()).contains("INVALID index");
        assertThat(f.rewrite()).startsWith("SELECT lower(email), count(*) FROM users WHERE deleted_at is null "
                + "GROUP BY lower(email) HAVING count(*) > 1;");
    }

    @Test
    void addEnumValueFailsInATransactionBeforePostgres12EvenUnused() {
        String sql = "alter type mood add value 'ecstatic';";
        assertThat(findings("add-enum-value-in-transaction", sql, LintSettings.defaults().withServerMajor(11)))
                .singleElement().satisfies(f -> assertThat(f.message()).contains("PostgreSQL 11", "25001"));
        assertThat(findings("add-enum-value-in-transaction", sql, LintSettings.defaults().withServerMajor(12))).isEmpty();
    }

    @Test
    void unbalancedTransactionFlagsEveryTransactionControlButAWholeFileWrapper() {
        var found = findings("unbalanced-transaction", "begin;\ncreate table a (id bigint);\ncommit;\nbegin;\n"
                + "create table b (id bigint);");
        assertThat(found).extracting(Finding::line).containsExactly(1, 3, 4);
        assertThat(found.get(0).message()).startsWith("BEGIN ... COMMIT around part of the file");
        assertThat(found.get(2).message()).startsWith("BEGIN without COMMIT");
        assertThat(findings("unbalanced-transaction", "begin;\ncreate table a (id bigint);\nbegin;\ncommit;"))
                .singleElement().satisfies(f -> assertThat(f.message()).startsWith("nested BEGIN"));
    }

    @Test
    void nonAtomicSaysWhatARerunWouldHit() {
        var found = findings("non-atomic-multi-statement", "-- reverso:no-transaction\ncreate table a (id bigint);\n"
                + "alter table b drop column c;\ncreate table d (id bigint);");
        assertThat(found).extracting(Finding::line).containsExactly(2, 3);
        assertThat(findings("non-atomic-multi-statement", "create index concurrently i on a (x);\nalter table b drop column c;"
                + "\ncreate table d (id bigint);")).extracting(Finding::message).anySatisfy(m ->
                        assertThat(m).contains("CREATE INDEX CONCURRENTLY at line 1", "relation \"i\" already exists"))
                .anySatisfy(m -> assertThat(m).contains("column \"c\" of relation \"b\" does not exist"));
        assertThat(found.get(0).message()).contains("-- reverso:no-transaction", "relation \"a\" already exists");
    }

    @Test
    void identifierTooLongCountsBytesAndShowsTheTruncatedName() {
        Finding f = single("identifier-too-long", "create table t (" + LONG_UTF8 + " int);");
        assertThat(f.message()).contains("64 bytes", "é".repeat(31) + ")");
    }

    @Test
    void truncateIsAnErrorWithCascadeAndRewritesToDelete() {
        Finding plain = single("truncate-table", "truncate users;");
        assertThat(plain.severity()).isEqualTo(Severity.WARNING);
        assertThat(plain.rewrite()).startsWith("DELETE FROM users WHERE ...;");
        Finding cascade = single("truncate-table", "truncate users cascade;");
        assertThat(cascade.severity()).isEqualTo(Severity.ERROR);
        assertThat(cascade.message()).contains("foreign key");
    }

    @Test
    void renameTableOffersAViewShim() {
        Finding f = single("rename-table-or-schema", "alter table users rename to people;");
        assertThat(f.rewrite()).startsWith("ALTER TABLE users RENAME TO people;\nCREATE VIEW users AS SELECT * FROM people;");
    }

    @Test
    void dropTableNamesOnlyTheTablesThisMigrationDidNotCreate() {
        Finding f = single("drop-table", "create table scratch (id bigint);\ndrop table scratch, users;");
        assertThat(f.message()).startsWith("DROP TABLE users deletes every row");
    }
}
