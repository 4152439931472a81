#!/usr/bin/env bash
# The live monitor (issue 6): pgbench TPS with the monitor off, at 1 s and at 100 ms, and the time
# from an application session starting to wait on a migration to the monitor's cancel under
# --max-blocking 1s. Prints markdown on stdout, progress on stderr.
#
#   bench/run-monitor.sh [--seconds S (20)] [--rounds R (3)] [--runs N (10)]
#
# Server: $REVERSO_TEST_URL, default jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres;
# pgbench: $PGBENCH, default /usr/lib/postgresql/15/bin/pgbench. The bench creates and drops a
# scratch database named reverso_monitorbench_*. Results: docs/BENCHMARKS.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

echo "bench: building (mvn -Pbench -pl bench -am package, tests skipped)..." >&2
mvn ${BENCH_MVN_OPTS:-} -q -B -Pbench -DskipTests -pl bench -am package >&2

exec java ${BENCH_JAVA_OPTS:-} \
  -cp "bench/target/reverso-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  dev.reverso.bench.MonitorBench "$@"
