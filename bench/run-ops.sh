#!/usr/bin/env bash
# Operation migrations under a steady write load (issue 4): the naive ALTER TABLE next to Reverso's
# expand/contract for add_column NOT NULL with a backfill, alter_column type and a foreign key, on
# a fresh 1M-row table each time, while 4 connections update random rows at 2,000 tx/s. Prints a
# markdown report on stdout, progress on stderr.
#
#   bench/run-ops.sh [--rows N (1000000)] [--clients C (4)] [--rate TX/S (2000)] [--hold S (8)]
#                    [--batch N (Reverso's default)] [--rate-rounds R (3)] [--only add,type,rates,fk]
#
# Server: $REVERSO_TEST_URL, default jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres.
# The bench creates and drops a scratch database named reverso_opsbench_* on it.
# Results and how to read them: docs/BENCHMARKS.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

echo "bench: building (mvn -Pbench -pl bench -am package, tests skipped)..." >&2
mvn ${BENCH_MVN_OPTS:-} -q -B -Pbench -DskipTests -pl bench -am package >&2

exec java ${BENCH_JAVA_OPTS:-} \
  -cp "bench/target/reverso-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  dev.reverso.bench.OpsBench "$@"
