package dev.reverso.lint;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/** The linter never crashes: random fragments of SQL, and real migrations with random damage. */
class LinterFuzzTest {

    private static final List<String> FRAGMENTS = List.of("create", "table", "index", "concurrently", "alter", "add",
            "column", "drop", "constraint", "foreign key", "references", "not valid", "validate", "not null", "default",
            "(", ")", ",", ";", "'", "\"", "$$", "$x$", "--", "/*", "*/", "e'\\''", "users", "id", "int", "text",
            "begin", "commit", "set", "lock_timeout", "=", "0", "type", "using", "on", "if", "exists", "unique",
            "primary key", "check", "truncate", "cascade", "vacuum", "full", "rename", "to", "update", "where",
            "\n", " ", "varchar(10)", "timestamptz", "generated always as identity", "do $$ begin end $$", "::",
            "attach partition", "for values from", "refresh materialized view", "reverso:ignore", "-- reverso:ignore x");

    private static final List<String> MIGRATIONS = List.of(
            "alter table users add column email text not null default 'x';\ncreate index concurrently i on users (email);",
            "create table t (id bigint generated always as identity primary key, user_id int references users);\n"
                    + "alter table t add constraint c check (id > 0) not valid;\nalter table t validate constraint c;",
            "begin;\nalter table orders alter column total type numeric(12,2) using total::numeric;\ncommit;",
            "do $f$ begin perform 1; end $f$;\nupdate users set name = e'it\\'s' where id in (select id from x);",
            "alter table a rename column b to c; drop table if exists d cascade; truncate e;");

    private static Gen<String> randomSql() {
        return lists().of(integers().between(0, FRAGMENTS.size() - 1)).ofSizeBetween(0, 40)
                .map(ix -> String.join(" ", ix.stream().map(FRAGMENTS::get).toList()));
    }

    private static Gen<String> damagedMigration() {
        return integers().between(0, MIGRATIONS.size() - 1).zip(integers().between(0, 10_000), integers().between(0, 3),
                (m, at, kind) -> {
                    String s = MIGRATIONS.get(m);
                    int i = at % (s.length() + 1);
                    return switch (kind) {
                        case 0 -> s.substring(0, i);
                        case 1 -> s.substring(0, i) + s.substring(Math.min(s.length(), i + 3));
                        case 2 -> s.substring(0, i) + "'" + s.substring(i);
                        default -> s.substring(0, i) + "$$" + s.substring(i);
                    };
                });
    }

    @Test
    void randomSqlNeverCrashesTheLinter() {
        qt().withExamples(1500).forAll(randomSql()).checkAssert(sql ->
                assertThatCode(() -> LintCase.of(sql).findings()).as(sql).doesNotThrowAnyException());
    }

    @Test
    void damagedMigrationsNeverCrashTheLinter() {
        qt().withExamples(1500).forAll(damagedMigration()).checkAssert(sql ->
                assertThatCode(() -> LintCase.of(sql).then(sql).findings()).as(sql).doesNotThrowAnyException());
    }

}
