package dev.reverso.lint;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * #25 unbatched-backfill beyond LockRulesTest's cases: only a key range, a bounded list, a LIMIT
 * or a lookup of named rows makes a statement one batch; any other WHERE is a filter that still
 * takes every matching row at once. Migrations in one case are separated by a line {@code ----}.
 */
class UnbatchedBackfillTest {

    private static final String RULE = "unbatched-backfill";

    private static List<Finding> findings(String sql) {
        String[] files = sql.split("\n----\n");
        LintCase lint = LintCase.of(files[0]);
        for (int i = 1; i < files.length; i++) {
            lint.then(files[i]);
        }
        return lint.findings().stream().filter(f -> f.ruleId().equals(RULE)).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO order_archive\nSELECT * FROM orders WHERE created_at < '2020-01-01';",
            "insert into order_archive select o.* from orders o join users u on u.id = o.user_id where u.deleted_at is not null;",
            "insert into archive select * from orders where id < 10000 or note is null;",
            "insert into archive (id, total) select id, total from orders where created_at >= '2020-01-01'"
                    + " and created_at < '2021-01-01' order by id;",
            "delete from events where created_at < now() - interval '90 days';",
            "update orders set status = 'archived' where created_at < '2020-01-01' and status <> 'open';",
            "update orders o set total = s.total from staging s where o.id = s.order_id;",
            "delete from events where id not in (1, 2);",
            "update users set locale = 'en' where locale is null returning id;",
            "create table orders (order_no bigint primary key, created_at timestamptz);\n----\n"
                    + "insert into order_archive select * from orders where created_at < '2020-01-01';",
    })
    void catchesAFilterThatIsNoBatch(String sql) {
        assertThat(findings(sql)).as(sql).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "insert into users_archive select * from users where id < 10000;",
            "insert into users_archive select * from users where id between 1 and 10000;",
            "insert into users_archive select * from users u where u.id >= :lo and u.id < :lo + 10000;",
            "insert into users_archive select * from users where created_at < '2020-01-01' limit 10000;",
            "insert into users_archive select * from users where created_at < '2020-01-01' and 10000 >= id;",
            "insert into role_permissions (role_id, permission_id) select r.id, p.id from roles r, permissions p"
                    + " where r.name = 'admin' and p.name in ('read', 'write');",
            "update users set active = true where id = any(:ids);",
            "update users set active = true where id in (1, 2, 3);",
            "update users set active = true where id >= $1 and id < $2 returning id;",
            "delete from sessions where id in (select id from sessions where expires_at < now() limit 1000);",
            "update users set flag = true where ctid in (select ctid from users where flag is null limit 5000);",
            "update settings set value = 'on' where name = 'new_checkout';",
            "delete from events where (created_at < now() - interval '90 days' and id < 100000);",
            "create table orders (order_no bigint primary key, created_at timestamptz);\n----\n"
                    + "insert into order_archive select * from orders where order_no >= 1 and order_no < 10001;",
            "create table orders (id bigint primary key, code text unique);\n----\n"
                    + "update orders set note = 'x' where code >= 'a' and code < 'b';",
    })
    void allowsABatchOrALookup(String sql) {
        assertThat(findings(sql)).as(sql).isEmpty();
    }

    @Test
    void theRewriteAddsAKeyRangeToTheFilter() {
        Finding archive = findings("insert into order_archive select * from orders where created_at < '2020-01-01';").get(0);
        assertThat(archive.message()).contains("every row matching its WHERE (which bounds no key range) of orders");
        assertThat(archive.rewrite()).startsWith("insert into order_archive select * from orders where created_at < '2020-01-01'"
                + " AND id >= :lo AND id < :lo + 10000;");

        Finding or = findings("delete from events where kind = 'a' or created_at < now() returning id;").get(0);
        assertThat(or.message()).contains("filters on no key range");
        assertThat(or.rewrite()).startsWith("delete from events where (kind = 'a' or created_at < now())"
                + " AND id >= :lo AND id < :lo + 10000 returning id;");

        Finding all = findings("update users set active = true returning id;").get(0);
        assertThat(all.rewrite()).startsWith("update users set active = true WHERE id >= :lo AND id < :lo + 10000 returning id;");

        Finding keyed = findings("create table orders (order_no bigint primary key, total int);\n----\n"
                + "insert into archive select * from orders;").get(0);
        assertThat(keyed.rewrite()).startsWith("insert into archive select * from orders WHERE order_no >= :lo"
                + " AND order_no < :lo + 10000;");
    }
}
