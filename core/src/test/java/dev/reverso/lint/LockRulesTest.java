package dev.reverso.lint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of LINT_HAZARDS.md section 2a: for each, SQL it must catch and the safe forms it must
 * not. Migrations in one case are separated by a line {@code ----}; each case asserts only on its
 * own rule's id, so other sections' rules do not interfere.
 */
class LockRulesTest {

    private static final LintSettings PG15 = LintSettings.defaults();

    /** One case: the rule, the migrations, the settings, and whether the rule must fire. */
    record Case(String rule, String sql, LintSettings settings, boolean fires) {

        @Override
        public String toString() {
            return (fires ? "catches " : "allows ") + rule + " (PG" + settings.serverMajor() + "): "
                    + sql.replaceAll("\\s+", " ");
        }

        List<Finding> findings() {
            String[] files = sql.split("\n----\n");
            LintCase lint = LintCase.of(files[0]).with(settings);
            for (int i = 1; i < files.length; i++) {
                lint.then(files[i]);
            }
            return lint.findings().stream().filter(f -> f.ruleId().equals(rule)).toList();
        }
    }

    private static Case bad(String rule, String sql) {
        return new Case(rule, sql, PG15, true);
    }

    private static Case good(String rule, String sql) {
        return new Case(rule, sql, PG15, false);
    }

    private static Case bad(String rule, LintSettings settings, String sql) {
        return new Case(rule, sql, settings, true);
    }

    private static Case good(String rule, LintSettings settings, String sql) {
        return new Case(rule, sql, settings, false);
    }

    static Stream<Case> cases() {
        String ci = "create-index-non-concurrent";
        String di = "drop-index-non-concurrent";
        String ri = "reindex-non-concurrent";
        String tx = "statement-forbidden-in-transaction";
        String ine = "concurrent-index-if-not-exists";
        String def = "add-column-default-rewrite";
        String ser = "add-column-serial-or-identity";
        String gen = "add-column-generated-stored";
        String typ = "change-column-type-rewrite";
        String nn = "set-not-null";
        String chk = "add-check-without-not-valid";
        String fk = "add-foreign-key-without-not-valid";
        String val = "validate-in-same-transaction";
        String uq = "add-unique-constraint";
        String pk = "add-primary-key";
        String ex = "add-exclusion-constraint";
        String vf = "vacuum-full-or-cluster";
        String rw = "rewrite-via-table-option";
        String dp = "detach-partition-non-concurrent";
        String ap = "attach-partition-without-check";
        String mv = "refresh-matview-non-concurrent";
        String dom = "domain-constraint";
        String lk = "explicit-lock-table";
        String held = "lock-held-across-statements";
        String bf = "unbatched-backfill";
        String lt = "missing-lock-timeout";
        String st = "missing-statement-timeout";
        String users = "create table users (id bigint primary key, email varchar(100), name varchar(50), age int,"
                + " price numeric(10,2), created timestamp, note text, code char(3));\n----\n";
        return Stream.of(
                // #1
                bad(ci, "create index users_email_idx on users (email);"),
                bad(ci, "CREATE UNIQUE INDEX IF NOT EXISTS u ON public.users (email);"),
                bad(ci, "create table t (id int);\n----\ncreate index t_idx on t (id);"),
                good(ci, "create index concurrently users_email_idx on users (email);"),
                good(ci, "create table t (id int);\ncreate index t_idx on t (id);"),
                good(ci, "-- create index x on users (email);\nselect 1;"),
                // #2
                bad(di, "drop index users_email_idx;"),
                bad(di, "DROP INDEX IF EXISTS a, b CASCADE;"),
                good(di, "drop index concurrently if exists users_email_idx;"),
                good(di, "create table t (id int);\ncreate index t_idx on t (id);\ndrop index t_idx;"),
                // #3
                bad(ri, "reindex table users;"),
                bad(ri, "REINDEX INDEX users_email_idx;"),
                bad(ri, LintSettings.defaults().withServerMajor(11), "reindex table users;"),
                good(ri, "reindex table concurrently users;"),
                good(ri, "reindex (concurrently) index users_email_idx;"),
                good(ri, "create table t (id int);\nreindex table t;"),
                // #4
                bad(tx, "begin;\ncreate table t (id int);\ncreate index concurrently i on users (email);\ncommit;"),
                bad(tx, "BEGIN;\nVACUUM users;\nCOMMIT;"),
                bad(tx, "begin;\ndrop index concurrently i;\ncommit;"),
                bad(tx, LintSettings.defaults().withServerMajor(11), "alter type mood add value 'meh';"),
                good(tx, "create index concurrently i on users (email);"),
                good(tx, "vacuum analyze users;"),
                good(tx, "begin;\ncreate table t (id int);\ncommit;"),
                good(tx, "alter type mood add value 'meh';"),
                good(tx, "-- reverso:no-transaction\nalter type mood add value 'meh';"),
                // #5
                bad(ine, "create index concurrently if not exists i on users (email);"),
                good(ine, "create index concurrently i on users (email);"),
                good(ine, "create index if not exists i on users (email);"),
                // #6
                bad(def, "alter table users add column token uuid default gen_random_uuid();"),
                bad(def, "alter table users add column r float8 not null default random();"),
                bad(def, "alter table users add column seen timestamptz default clock_timestamp();"),
                bad(def, "alter table users add column n bigint default nextval('users_n_seq');"),
                bad(def, "ALTER TABLE users ADD COLUMN u uuid DEFAULT public.uuid_generate_v4() NOT NULL;"),
                bad(def, LintSettings.defaults().withServerMajor(10), "alter table users add column active bool default true;"),
                bad(def, "alter table users add column v int default my_volatile_fn();"),
                good(def, "alter table users add column active bool not null default true;"),
                good(def, "alter table users add column created_at timestamptz not null default now();"),
                good(def, "alter table users add column created_at timestamptz default current_timestamp;"),
                good(def, "alter table users add column tags text[] default '{}'::text[];"),
                good(def, "alter table users add column amount numeric(10,2) default 0::numeric(10,2);"),
                good(def, "alter table users add column x int default null;"),
                good(def, "alter table users add column note text;  -- default random() later"),
                good(def, LintSettings.defaults().withServerMajor(10), "alter table users add column x int;"),
                good(def, "create table t (id int);\nalter table t add column token uuid default gen_random_uuid();"),
                good(def, "alter table users alter column token set default gen_random_uuid();"),
                // #7
                bad(ser, "alter table users add column seq bigserial;"),
                bad(ser, "alter table users add column seq serial not null;"),
                bad(ser, "alter table users add column seq bigint generated always as identity;"),
                bad(ser, "alter table users add column seq int generated by default as identity (start 10);"),
                good(ser, "alter table users add column seq bigint;"),
                good(ser, "create table t (id int);\nalter table t add column seq bigserial;"),
                good(ser, "create table t (id bigint generated always as identity primary key);"),
                // #8
                bad(gen, "alter table users add column lower_email text generated always as (lower(email)) stored;"),
                good(gen, "alter table users add column lower_email text;"),
                good(gen, LintSettings.defaults().withServerMajor(18),
                        "alter table users add column lower_email text generated always as (lower(email));"),
                good(gen, "create table t (a int, b int generated always as (a * 2) stored);"),
                // #9
                bad(typ, users + "alter table users alter column age type bigint;"),
                bad(typ, users + "alter table users alter column email type varchar(50);"),
                bad(typ, users + "alter table users alter column price type numeric(12,4);"),
                bad(typ, users + "alter table users alter column note type int using note::int;"),
                bad(typ, users + "alter table users alter column created type timestamptz;"),
                bad(typ, users + "alter table users alter column code type text;"),
                bad(typ, "alter table orders alter column total type bigint;"),
                bad(typ, users + "alter table users alter column email set data type text using lower(email);"),
                good(typ, users + "alter table users alter column email type text;"),
                good(typ, users + "alter table users alter column email type varchar(200);"),
                good(typ, users + "alter table users alter column email type character varying;"),
                good(typ, users + "alter table users alter column price type numeric(14,2);"),
                good(typ, users + "alter table users alter column price type numeric;"),
                good(typ, users + "alter table users alter column note type varchar;"),
                good(typ, "create table t (a int);\nalter table t alter column a type bigint;"),
                good(typ, "create table t (s varchar(10));\n----\nalter table t alter column s type varchar(20);\n----\n"
                        + "alter table t alter column s type text;"),
                good(typ, "create table t (a int);\n----\nalter table t rename column a to b;\n----\n"
                        + "alter table t alter column b type integer;"),
                // #10
                bad(nn, "alter table users alter column email set not null;"),
                bad(nn, users + "alter table users alter email set not null;"),
                bad(nn, LintSettings.defaults().withServerMajor(11), users
                        + "alter table users add constraint users_email_nn check (email is not null) not valid;\n----\n"
                        + "alter table users validate constraint users_email_nn;\n----\n"
                        + "alter table users alter column email set not null;"),
                bad(nn, users + "alter table users add constraint users_email_nn check (email is not null) not valid;\n----\n"
                        + "alter table users alter column email set not null;"),
                good(nn, users + "alter table users add constraint users_email_nn check (email is not null) not valid;\n----\n"
                        + "alter table users validate constraint users_email_nn;\n----\n"
                        + "alter table users alter column email set not null;"),
                good(nn, "create table t (a int);\nalter table t alter column a set not null;"),
                good(nn, "create table t (a int not null);\n----\nalter table t alter column a set not null;"),
                good(nn, "alter table users alter column email drop not null;"),
                // #11
                bad(chk, "alter table users add constraint age_positive check (age > 0);"),
                bad(chk, "alter table users add check (age > 0);"),
                bad(chk, "alter table users add column score int check (score >= 0);"),
                good(chk, "alter table users add constraint age_positive check (age > 0) not valid;"),
                good(chk, "alter table users validate constraint age_positive;"),
                good(chk, "create table t (a int);\nalter table t add constraint a_pos check (a > 0);"),
                good(chk, "create table t (a int check (a > 0));"),
                // #12
                bad(fk, "alter table orders add constraint orders_user_fk foreign key (user_id) references users (id);"),
                bad(fk, "alter table orders add foreign key (user_id) references users;"),
                bad(fk, "alter table orders add column user_id bigint default 1 references users (id);"),
                good(fk, "alter table orders add constraint orders_user_fk foreign key (user_id) references users (id) not valid;"),
                good(fk, "alter table orders add column user_id bigint references users (id);"),
                good(fk, "alter table orders add column user_id bigint default null references users (id);"),
                good(fk, "create table orders (id bigint, user_id bigint references users (id));"),
                good(fk, "create table o (id bigint, u bigint);\nalter table o add foreign key (u) references users (id);"),
                // #13
                bad(val, "alter table orders add constraint fk foreign key (user_id) references users (id) not valid;\n"
                        + "alter table orders validate constraint fk;"),
                bad(val, "alter table orders add constraint c check (total > 0) not valid;\n"
                        + "alter table orders validate constraint c;"),
                good(val, "alter table orders add constraint fk foreign key (user_id) references users (id) not valid;\n----\n"
                        + "alter table orders validate constraint fk;"),
                good(val, "-- reverso:no-transaction\n"
                        + "alter table orders add constraint c check (total > 0) not valid;\n"
                        + "alter table orders validate constraint c;"),
                good(val, "alter table users add column x int;\nalter table orders validate constraint c;"),
                // #14
                bad(uq, "alter table users add constraint users_email_key unique (email);"),
                bad(uq, "alter table users add unique (email, name);"),
                bad(uq, "alter table users add column handle text unique;"),
                good(uq, "alter table users add constraint users_email_key unique using index users_email_key;"),
                good(uq, "create table t (a int);\nalter table t add unique (a);"),
                good(uq, "create unique index concurrently users_email_key on users (email);"),
                // #15
                bad(pk, "alter table accounts add primary key (id);"),
                bad(pk, "alter table accounts add constraint accounts_pkey primary key (id);"),
                bad(pk, "create table t (id int, x int);\n----\ncreate unique index concurrently t_pk on t (id);\n----\n"
                        + "alter table t add constraint t_pkey primary key using index t_pk;"),
                good(pk, "create table t (id int not null, x int);\n----\ncreate unique index concurrently t_pk on t (id);\n----\n"
                        + "alter table t add constraint t_pkey primary key using index t_pk;"),
                good(pk, "create table t (id int);\nalter table t add primary key (id);"),
                good(pk, "create table t (id int primary key);"),
                // #16
                bad(ex, "alter table bookings add constraint no_overlap exclude using gist (room with =, during with &&);"),
                good(ex, "create table b (room int, during tstzrange, exclude using gist (room with =, during with &&));"),
                good(ex, "create table b (room int, during tstzrange);\n"
                        + "alter table b add constraint no_overlap exclude using gist (room with =, during with &&);"),
                // #17
                bad(vf, "vacuum full users;"),
                bad(vf, "vacuum (full, analyze) users;"),
                bad(vf, "cluster users using users_pkey;"),
                bad(vf, "cluster;"),
                good(vf, "vacuum analyze users;"),
                good(vf, "vacuum (analyze) users;"),
                // #18
                bad(rw, "alter table users set logged;"),
                bad(rw, "alter table users set unlogged;"),
                bad(rw, "alter table users set tablespace fast_ssd;"),
                bad(rw, "alter table users set access method heap2;"),
                bad(rw, "alter index users_email_idx set tablespace fast_ssd;"),
                good(rw, "alter table users set (fillfactor = 70);"),
                good(rw, "alter table users alter column email set statistics 500;"),
                good(rw, "create table t (id int);\nalter table t set unlogged;"),
                // #19
                bad(dp, "alter table events detach partition events_2020;"),
                bad(dp, LintSettings.defaults().withServerMajor(13), "alter table events detach partition events_2020;"),
                good(dp, "alter table events detach partition events_2020 concurrently;"),
                good(dp, "alter table events detach partition events_2020 finalize;"),
                // #20
                bad(ap, "alter table events attach partition events_2024 for values from ('2024-01-01') to ('2025-01-01');"),
                bad(ap, "create table events_2024 (id int, at date);\n----\n"
                        + "alter table events attach partition events_2024 for values from ('2024-01-01') to ('2025-01-01');"),
                good(ap, "create table events_2024 (id int, at date);\n"
                        + "alter table events attach partition events_2024 for values from ('2024-01-01') to ('2025-01-01');"),
                good(ap, "alter table events_2024 add constraint b check (at >= '2024-01-01' and at < '2025-01-01') not valid;\n----\n"
                        + "alter table events_2024 validate constraint b;\n----\n"
                        + "alter table events attach partition events_2024 for values from ('2024-01-01') to ('2025-01-01');"),
                // #21
                bad(mv, "refresh materialized view daily_totals;"),
                good(mv, "refresh materialized view concurrently daily_totals;"),
                good(mv, "refresh materialized view daily_totals with no data;"),
                good(mv, "create materialized view mv as select 1 as x;\nrefresh materialized view mv;"),
                // #22
                bad(dom, "alter domain email add constraint email_check check (value like '%@%');"),
                bad(dom, "alter domain email set not null;"),
                bad(dom, "create domain positive as int check (value > 0);"),
                good(dom, "alter domain email add constraint email_check check (value like '%@%') not valid;"),
                good(dom, "alter domain email validate constraint email_check;"),
                good(dom, "create domain email as text;"),
                good(dom, "create domain d as text;\nalter domain d add constraint c check (value <> '');"),
                // #23
                bad(lk, "lock table users in access exclusive mode;\nalter table users add column x int;"),
                bad(lk, "lock users;"),
                good(lk, "create table t (id int);\nlock table t in exclusive mode;"),
                good(lk, "select * from users for update;"),
                // #24
                bad(held, "alter table users add column x int;\nupdate users set x = 1;"),
                bad(held, "alter table users rename column a to b;\ncreate index i on orders (user_id);"),
                bad(held, "alter table users add column x int;\ninsert into archive select * from old_rows;"),
                bad(held, "drop table old_stuff;\nalter table orders alter column user_id set not null;"),
                good(held, "alter table users add column x int;\n----\nupdate users set x = 1;"),
                good(held, "-- reverso:no-transaction\nalter table users add column x int;\nupdate users set x = 1;"),
                good(held, "update users set x = 1;\nalter table users add column y int;"),
                good(held, "create table t (id int);\ncreate index i on t (id);\ninsert into t values (1);"),
                good(held, "alter table users add column x int;\ninsert into audit values (1);"),
                // #13 takes precedence for the VALIDATE step
                good(held, "alter table orders add constraint c check (total > 0) not valid;\n"
                        + "alter table orders validate constraint c;"),
                // #25
                bad(bf, "update users set active = true;"),
                bad(bf, "update users set status = 'new' where status is null;"),
                bad(bf, "delete from sessions;"),
                bad(bf, "insert into users_archive select * from users;"),
                good(bf, "update users set active = true where id >= 1 and id < 10001;"),
                good(bf, "delete from sessions where expires_at < now() - interval '30 days' and id < 100000;"),
                good(bf, "insert into users_archive select * from users where id < 10000;"),
                good(bf, "insert into settings values (1, 'x');"),
                good(bf, "create table t (id int);\nupdate t set id = 1;"),
                // #26
                bad(lt, "set lock_timeout = 0;\nalter table users add column x int;"),
                bad(lt, "SET lock_timeout TO '0ms';\ndrop index users_email_idx;"),
                bad(lt, "reset lock_timeout;\nalter table users add column x int;"),
                bad(lt, LintSettings.defaults().withRunnerTimeouts(false, false), "alter table users add column x int;"),
                good(lt, "alter table users add column x int;"),
                good(lt, "set lock_timeout = '2s';\nalter table users add column x int;"),
                good(lt, LintSettings.defaults().withRunnerTimeouts(false, false),
                        "set lock_timeout = '2s';\nalter table users add column x int;"),
                good(lt, "set lock_timeout = 0;\ncreate index concurrently i on users (email);"),
                good(lt, "set lock_timeout = 0;\nselect count(*) from users;"),
                good(lt, "set lock_timeout = 0;\ncreate table t (id int);\nalter table t add column x int;"),
                // #27
                bad(st, "update users set active = true where id < 1000;"),
                bad(st, LintSettings.defaults().withRunnerTimeouts(true, true),
                        "set statement_timeout = 0;\ncreate index i on users (email);"),
                bad(st, "create index i on users (email);"),
                bad(st, "create index concurrently i on users (email);"),
                good(st, "create table t (id int);\ncreate index i on t (id);"),
                good(st, "drop index concurrently i;"),
                good(st, LintSettings.defaults().withRunnerTimeouts(true, true), "update users set active = true;"),
                good(st, "set statement_timeout = '5min';\nupdate users set active = true;"),
                good(st, "insert into settings values (1, 'x');"),
                bad(st, "set statement_timeout = 0;\ncreate index concurrently i on users (email);"),
                good(st, "set statement_timeout = '30min';\ncreate index concurrently i on users (email);"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rule(Case c) {
        List<Finding> found = c.findings();
        if (c.fires()) {
            assertThat(found).as("findings of %s", c.rule()).isNotEmpty();
            assertThat(found).allSatisfy(f -> {
                assertThat(f.message()).isNotBlank();
                assertThat(f.rewrite()).isNotBlank();
            });
        } else {
            assertThat(found).as("findings of %s", c.rule()).isEmpty();
        }
    }

    @Test
    void everyRuleOfSection2aIsRegisteredInOrder() {
        assertThat(dev.reverso.lint.rules.LockRules.all()).extracting(Rule::id).containsExactly(
                "create-index-non-concurrent", "drop-index-non-concurrent", "reindex-non-concurrent",
                "statement-forbidden-in-transaction", "concurrent-index-if-not-exists", "add-column-default-rewrite",
                "add-column-serial-or-identity", "add-column-generated-stored", "change-column-type-rewrite",
                "set-not-null", "add-check-without-not-valid", "add-foreign-key-without-not-valid",
                "validate-in-same-transaction", "add-unique-constraint", "add-primary-key", "add-exclusion-constraint",
                "vacuum-full-or-cluster", "rewrite-via-table-option", "detach-partition-non-concurrent",
                "attach-partition-without-check", "refresh-matview-non-concurrent", "domain-constraint",
                "explicit-lock-table", "lock-held-across-statements", "unbatched-backfill", "missing-lock-timeout",
                "missing-statement-timeout");
    }

    @Test
    void truncatedAndOddStatementsNeverCrashTheRules() {
        cases().forEach(c -> {
            String sql = c.sql().replace("\n----\n", "\n");
            for (int cut = 1; cut < sql.length(); cut++) {
                if (Character.isWhitespace(sql.charAt(cut))) {
                    String prefix = sql.substring(0, cut);
                    org.assertj.core.api.Assertions.assertThatCode(() -> LintCase.of(prefix).with(c.settings()).findings())
                            .as(prefix).doesNotThrowAnyException();
                }
            }
        });
        for (String odd : List.of("alter table", "alter table t add", "alter table t alter column", "refresh foo",
                "reindex", "reindex (verbose)", "create index on", "alter domain", "set lock_timeout", "update",
                "alter table t add constraint", "alter table t add column c int references", "alter table t attach partition",
                "alter table t alter column c type", "alter table t add column c int default")) {
            org.assertj.core.api.Assertions.assertThatCode(() -> LintCase.of(odd + ";").findings()).as(odd)
                    .doesNotThrowAnyException();
        }
    }

    private static Finding only(String rule, String... files) {
        LintCase lint = LintCase.of(files[0]);
        for (int i = 1; i < files.length; i++) {
            lint.then(files[i]);
        }
        List<Finding> found = lint.findings().stream().filter(f -> f.ruleId().equals(rule)).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @Test
    void foreignKeyRewriteIsNotValidThenValidateInALaterMigration() {
        Finding f = only("add-foreign-key-without-not-valid",
                "alter table orders add constraint orders_user_fk foreign key (user_id) references users (id);");
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.message()).contains("orders", "users", "SHARE ROW EXCLUSIVE");
        assertThat(f.rewrite()).isEqualTo(
                "ALTER TABLE orders ADD CONSTRAINT orders_user_fk foreign key (user_id) references users (id) NOT VALID;\n"
                        + "-- in a later migration:\n"
                        + "ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;");
    }

    @Test
    void typeChangeNamesOldAndNewTypeOrSaysTheOldIsUnknown() {
        Finding known = only("change-column-type-rewrite", "create table t (a int);", "alter table t alter column a type bigint;");
        assertThat(known.message()).contains("t.a", "from integer to bigint", "ACCESS EXCLUSIVE");
        Finding unknown = only("change-column-type-rewrite", "alter table t alter column a type bigint;");
        assertThat(unknown.message()).contains("old type is unknown");
    }

    @Test
    void volatileDefaultIsAnErrorAndAnUnknownFunctionAWarning() {
        Finding v = only("add-column-default-rewrite", "alter table users add column token uuid default gen_random_uuid();");
        assertThat(v.severity()).isEqualTo(Severity.ERROR);
        assertThat(v.message()).contains("gen_random_uuid", "VOLATILE", "users");
        assertThat(v.rewrite()).contains("ALTER TABLE users ADD COLUMN token uuid;",
                "ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();");
        Finding u = only("add-column-default-rewrite", "alter table users add column v int default my_fn();");
        assertThat(u.severity()).isEqualTo(Severity.WARNING);
        assertThat(u.message()).contains("my_fn", "cannot see");
    }

    @Test
    void setNotNullRewriteIsTheCheckProcedure() {
        Finding f = only("set-not-null", "alter table users alter column email set not null;");
        assertThat(f.rewrite()).contains("ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;",
                "VALIDATE CONSTRAINT users_email_not_null;", "SET NOT NULL;", "DROP CONSTRAINT users_email_not_null;");
    }

    @Test
    void createIndexRewriteAddsConcurrentlyAndDropsIfNotExists() {
        Finding f = only("create-index-non-concurrent", "CREATE INDEX IF NOT EXISTS i ON users (email)");
        assertThat(f.rewrite()).startsWith("CREATE INDEX CONCURRENTLY i ON users (email);");
        Finding pg14 = LintCase.of("create index i on users (email);").with(LintSettings.defaults().withServerMajor(14))
                .findings().stream().filter(x -> x.ruleId().equals("create-index-non-concurrent")).findFirst().orElseThrow();
        assertThat(pg14.message()).contains("14.0-14.3");
    }

    @Test
    void forbiddenInTransactionSaysAtomicityIsLost() {
        Finding f = only("statement-forbidden-in-transaction",
                "begin;\nupdate users set x = 1 where id = 1;\ncreate index concurrently i on users (email);\ncommit;");
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.line()).isEqualTo(3);
        assertThat(f.message()).contains("CREATE INDEX CONCURRENTLY", "NOT atomic");
    }

    @Test
    void lockTimeoutFiresOncePerFile() {
        var found = LintCase.of("set lock_timeout = 0;\nalter table a add column x int;\nalter table b add column y int;")
                .findings().stream().filter(f -> f.ruleId().equals("missing-lock-timeout")).toList();
        assertThat(found).singleElement().satisfies(f -> assertThat(f.line()).isEqualTo(2));
    }

    @Test
    void lockHeldNamesTheEarlierStatement() {
        Finding f = only("lock-held-across-statements", "alter table users add column x int;\nupdate users set x = 1;");
        assertThat(f.message()).contains("line 1", "ACCESS EXCLUSIVE on users");
    }

    @Test
    void schemaStateTracksColumnsConstraintsAndIndexes() {
        SchemaState s = new SchemaState();
        var steps = new java.util.ArrayList<dev.reverso.engine.Step>();
        var classifier = new dev.reverso.sql.Classifier();
        for (var st : dev.reverso.sql.StatementSplitter.split("""
                create table public.orders (id bigint primary key, user_id int not null, note varchar(20),
                  constraint orders_note_nn check (note is not null));
                create index orders_user_idx on orders (user_id, id);
                alter table orders add column total numeric(10,2), alter column note type text;
                alter table orders rename column user_id to customer_id;
                alter table orders add constraint c check (total is not null) not valid;
                create unique index concurrently on orders (lower(note));
                """)) {
            steps.add(new dev.reverso.engine.Step(steps.size() + 1, st, classifier.classify(st)));
        }
        steps.forEach(s::apply);
        assertThat(s.columns("orders")).extracting(SchemaState.Column::name)
                .containsExactly("id", "customer_id", "note", "total");
        assertThat(s.columnType("orders", "note")).contains("text");
        assertThat(s.columnType("public.orders", "total")).contains("numeric(10,2)");
        assertThat(s.column("orders", "id")).hasValueSatisfying(c -> assertThat(c.notNull()).isTrue());
        assertThat(s.hasValidatedNotNullCheck("orders", "note")).isTrue();
        assertThat(s.hasValidatedNotNullCheck("orders", "total")).isFalse();
        assertThat(s.indexesOn("orders")).extracting(SchemaState.Index::name)
                .containsExactly("orders_pkey", "orders_user_idx", "orders_expr_idx");
        assertThat(s.index("orders_user_idx")).hasValueSatisfying(i -> assertThat(i.columns()).containsExactly("customer_id", "id"));
        assertThat(s.knownTable("orders")).isTrue();
    }
}
