#!/usr/bin/env bash
# A real migration history through Reverso, next to psql applying the same files (issue 14).
#
#   bench/real-history.sh FOLDER [options]
#
# FOLDER holds a project's PostgreSQL migrations with their downs, in golang-migrate's layout
# (NNN_name.up.sql / NNN_name.down.sql) or in Diesel's (YYYY-MM-DD-HHMMSS[-NNNN]_name/up.sql +
# down.sql, as in LemmyNet/lemmy's migrations/). The files are copied, in golang-migrate naming,
# to WORK/migrations; nothing is changed inside them. Then, on two scratch databases of the server:
#
#   A  every up file in version order with psql -v ON_ERROR_STOP=1 (with -1, one transaction per
#      file, unless the file holds a statement PostgreSQL refuses in a transaction: then as-is,
#      which is what golang-migrate does with every file);
#   B  reverso up --dir WORK/migrations with the defaults (archive, preflight and verify on), JSON;
#   the schemas of A and B compared (pg_dump --schema-only --no-owner, schemas reverso and
#   reverso_archive left out, normalized), and the row count of every table compared;
#   A  every down file newest first with psql; B  reverso down --all; compared again. When one of
#      the project's own down files fails under psql (version F), B runs down --to F instead (F and
#      older stay applied), the comparison is made there, and then B's down of F alone is run to
#      record what Reverso says about the same broken file.
#
# Options:
#   --server URL     libpq URL of the server without database (default postgres://postgres@127.0.0.1:5432)
#   --work DIR       where the copy, outputs and dumps go (default bench/work/real-history)
#   --upto VERSION   only the migrations up to this version (normalized version, as in WORK/migrations)
#   --exclude V,V    leave these versions out (for A and B alike), to get past a failure
#   --reverso-arg X  pass X to reverso up and down (repeatable), e.g. --reverso-arg --no-archive
#   --down-arg X     pass X to reverso down only (repeatable), e.g. --down-arg --accept-loss
#   --persist        when reverso fails a migration, record the error, run that one migration again
#                    with --no-archive (up) or --no-archive --accept-loss (down), and go on, so one
#                    run lists every failure; the timings then include the retries
#   --keep           keep the two scratch databases (default: dropped at the end)
#   --no-down        stop after the up phase and its comparison
#
# Exit: 0 when both phases succeeded and the schemas are the same, 1 otherwise.
# Results and how to read them: docs/BENCHMARKS.md ("A real history").
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

server="postgres://postgres@127.0.0.1:5432"
work="$root/bench/work/real-history"
upto=""
exclude=""
rargs=()
dargs=()
keep=0
persist=0
do_down=1
src=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --server) server="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --upto) upto="$2"; shift 2 ;;
    --exclude) exclude="$2"; shift 2 ;;
    --reverso-arg) rargs+=("$2"); shift 2 ;;
    --down-arg) dargs+=("$2"); shift 2 ;;
    --keep) keep=1; shift ;;
    --persist) persist=1; shift ;;
    --no-down) do_down=0; shift ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "real-history: unknown option $1" >&2; exit 2 ;;
    *) src="$1"; shift ;;
  esac
done
[[ -n "$src" && -d "$src" ]] || { echo "real-history: give the migrations folder" >&2; exit 2; }
src="$(cd "$src" && pwd)"
server="${server%/}"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
log() { echo "real-history: $*" >&2; }

rm -rf "$work"; mkdir -p "$work/migrations" "$work/out" "$work/reports"
mig="$work/migrations"

# --- the copy, in golang-migrate naming -------------------------------------------------------
# Diesel: the version is the folder's leading date with its separators removed, right-padded with
# zeros to the longest one (Lemmy's 2019-02-26-002946 and 2025-09-19-132648-0000 become 14 and 18
# digits; padded, both sort as Diesel sorts them, as strings).
declare -a versions=()
if compgen -G "$src/*.up.sql" > /dev/null; then
  layout="golang-migrate"
  for f in "$src"/*.up.sql "$src"/*.down.sql; do cp "$f" "$mig/"; done
elif compgen -G "$src/*/up.sql" > /dev/null; then
  layout="diesel"
  width=0
  for d in "$src"/*/; do
    b="$(basename "$d")"; v="${b%%_*}"; v="${v//[^0-9]/}"
    (( ${#v} > width )) && width=${#v}
  done
  for d in "$src"/*/; do
    b="$(basename "$d")"; v="${b%%_*}"; v="${v//[^0-9]/}"; name="${b#*_}"; name="${name//[^A-Za-z0-9_]/_}"
    while (( ${#v} < width )); do v="${v}0"; done
    [[ -f "$d/up.sql" ]] && cp "$d/up.sql" "$mig/${v}_${name}.up.sql"
    [[ -f "$d/down.sql" ]] && cp "$d/down.sql" "$mig/${v}_${name}.down.sql"
  done
else
  echo "real-history: no *.up.sql or */up.sql in $src" >&2; exit 2
fi

# versions in order (numerically, leading zeros ignored, as Reverso and golang-migrate read them)
vnum() { local v="${1%%_*}"; v="$(echo "$v" | sed 's/^0*//')"; echo "${v:-0}"; }
IFS=, read -r -a excl <<< "$exclude"
for f in "$mig"/*.up.sql; do
  v="$(vnum "$(basename "$f")")"
  skip=0
  for e in "${excl[@]}"; do [[ -n "$e" && "$(vnum "$e")" == "$v" ]] && skip=1; done
  if [[ -n "$upto" ]] && [[ "$(printf '%s\n%s\n' "$v" "$(vnum "$upto")" | sort -V | tail -1)" != "$(vnum "$upto")" ]]; then skip=1; fi
  if (( skip )); then rm -f "$f" "${f%.up.sql}.down.sql"; continue; fi
done
mapfile -t ups < <(for f in "$mig"/*.up.sql; do echo "$(vnum "$(basename "$f")") $f"; done | sort -V -k1,1 | cut -d' ' -f2-)
ndown=$(compgen -G "$mig/*.down.sql" | wc -l)
(( ${#ups[@]} > 0 )) || { echo "real-history: no migrations left" >&2; exit 2; }

# A file runs in one transaction (psql -1) unless it holds a statement PostgreSQL refuses there.
# A rough reading (comments removed, keywords anywhere): enough for the report, and a file it
# misreads fails loudly under psql rather than silently.
no_tx() {
  sed -e 's/--.*$//' "$1" | awk 'BEGIN { RS = ";" } { gsub(/[[:space:]]+/, " "); print tolower($0) }' | grep -qE \
    '^ ?((create|drop) (unique )?index concurrently|reindex .*concurrently|vacuum|create database|alter system)'
}
notx_list=()
for f in "${ups[@]}"; do no_tx "$f" && notx_list+=("$(basename "$f")"); done

tag="rh_$$"
dba="${tag}_a"; dbb="${tag}_b"
ua="$server/$dba"; ub="$server/$dbb"
admin="$server/postgres"
cleanup() {
  if (( keep == 0 )); then
    psql -q -X "$admin" -c "drop database if exists $dba with (force)" -c "drop database if exists $dbb with (force)" >/dev/null 2>&1
  else
    log "kept databases $dba and $dbb"
  fi
}
trap cleanup EXIT
psql -q -X -v ON_ERROR_STOP=1 "$admin" -c "create database $dba" -c "create database $dbb" >/dev/null || exit 2

log "$layout layout, ${#ups[@]} up files, $ndown down files, ${#notx_list[@]} outside a transaction; databases $dba (psql) and $dbb (reverso)"
log "building reverso if needed..."
"$root/bin/reverso" --version >/dev/null 2>&1 || { echo "real-history: bin/reverso --version failed" >&2; exit 2; }

# --- comparison -------------------------------------------------------------------------------
dump() { # url out
  pg_dump --schema-only --no-owner --exclude-schema=reverso --exclude-schema=reverso_archive "$1" \
    | grep -vE '^(--|SET |SELECT pg_catalog.set_config|\\restrict|\\unrestrict)' | sed '/^[[:space:]]*$/d' > "$2"
}
counts() { # url out: every user table's exact row count, Reverso's schemas left out
  psql -X -At -F ' ' "$1" > "$2" 2>&1 <<'SQL'
select format('select %L || '' '' || count(*) from %I.%I;', n.nspname || '.' || c.relname, n.nspname, c.relname)
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p') and n.nspname not in ('reverso', 'reverso_archive', 'pg_catalog', 'information_schema')
  and n.nspname not like 'pg_toast%' order by 1 \gexec
SQL
}
compare() { # phase
  dump "$ua" "$work/out/$1.a.schema.sql"; dump "$ub" "$work/out/$1.b.schema.sql"
  counts "$ua" "$work/out/$1.a.rows"; counts "$ub" "$work/out/$1.b.rows"
  diff -u "$work/out/$1.a.schema.sql" "$work/out/$1.b.schema.sql" > "$work/out/$1.schema.diff"
  diff -u "$work/out/$1.a.rows" "$work/out/$1.b.rows" > "$work/out/$1.rows.diff"
  local s r
  s=$(grep -cE '^[-+][^-+]' "$work/out/$1.schema.diff"); r=$(grep -cE '^[-+][^-+]' "$work/out/$1.rows.diff")
  echo "$s $r"
}
run_reverso() { # phase args...
  local phase="$1"; shift
  local t0 t1 rc
  t0=$(now)
  (cd "$work" && nice "$root/bin/reverso" --format json --report-dir "$work/reports" "$@" \
     > "$work/out/$phase.json" 2> "$work/out/$phase.err")
  rc=$?
  t1=$(now)
  echo "$rc $(secs "$t0" "$t1")"
}

err_line() { # phase: the JSON error of a run, or its last stderr line
  local j="$work/out/$1.json"
  if grep -q '"error"' "$j" 2>/dev/null; then
    tr -d '\n' < "$j" | sed -E 's/.*"error" *: *"(([^"\\]|\\.)*)".*/\1/; s/\\"/"/g' | cut -c1-400
  else
    tail -1 "$work/out/$1.err" 2>/dev/null | cut -c1-400
  fi
}
declare -A res
a_down_fail=""; a_fv=""; target=(--all); b_down_rc=""; failures=()
# --- up ---------------------------------------------------------------------------------------
t0=$(now); a_up_fail=""
for f in "${ups[@]}"; do
  one=(-1); for n in "${notx_list[@]}"; do [[ "$n" == "$(basename "$f")" ]] && one=(); done
  if ! psql -q -X -v ON_ERROR_STOP=1 "${one[@]}" -f "$f" "$ua" > /dev/null 2>> "$work/out/up.psql.err"; then
    a_up_fail="$(basename "$f")"; break
  fi
done
res[a_up_time]=$(secs "$t0" "$(now)")
[[ -n "$a_up_fail" ]] && log "psql failed on $a_up_fail: $(tail -3 "$work/out/up.psql.err")"

log "reverso up..."
failures=()   # "phase version exit error" of every failed reverso run
note_failure() { # phase file version
  failures+=("$1 | $3 | $(grep -o '"exit" *: *[0-9]*' "$work/out/$2.json" | grep -o '[0-9]*$') | $(err_line "$2")")
}
read -r b_up_rc b_up_time < <(run_reverso up up --url "$ub" --dir "$mig" ${rargs[@]+"${rargs[@]}"})
if (( persist )); then
  n=0; rc="$b_up_rc"
  while [[ "$rc" != 0 ]] && (( n < 100 )); do
    n=$((n + 1))
    fv=$(err_line "$( (( n == 1 )) && echo up || echo "up.$((n - 1))")" | grep -oE '^[0-9]+' | head -1)
    note_failure up "$( (( n == 1 )) && echo up || echo "up.$((n - 1))")" "${fv:-?}"
    [[ -n "$fv" ]] || break
    log "up failed at $fv; that one again with --no-archive, then on"
    read -r rc t < <(run_reverso "up.$n.noarchive" up --to "$fv" --no-archive --url "$ub" --dir "$mig" ${rargs[@]+"${rargs[@]}"})
    b_up_time=$(awk -v a="$b_up_time" -v b="$t" 'BEGIN { printf "%.1f", a + b }')
    if [[ "$rc" != 0 ]]; then
      note_failure "up (--no-archive)" "up.$n.noarchive" "$fv"
      log "and again after archive purge"
      (cd "$work" && "$root/bin/reverso" archive purge --older-than 0s --url "$ub" --dir "$mig" > "$work/out/up.$n.purge.out" 2>&1)
      read -r rc t < <(run_reverso "up.$n.purged" up --to "$fv" --no-archive --url "$ub" --dir "$mig" ${rargs[@]+"${rargs[@]}"})
      if [[ "$rc" != 0 ]]; then note_failure "up (after archive purge)" "up.$n.purged" "$fv"; break; fi
      failures+=("up (after archive purge) | $fv | 0 | succeeded once the archive was purged")
    fi
    read -r rc t < <(run_reverso "up.$n" up --url "$ub" --dir "$mig" ${rargs[@]+"${rargs[@]}"})
    b_up_time=$(awk -v a="$b_up_time" -v b="$t" 'BEGIN { printf "%.1f", a + b }')
  done
  b_up_rc="$rc"
fi
b_applied=$(psql -X -At "$ub" -c "select count(*) from reverso.migrations where state = 'applied'" 2>/dev/null || echo "?")
read -r up_sdiff up_rdiff < <(compare up)

# --- down -------------------------------------------------------------------------------------
down_ran=0
if (( do_down )) && [[ -z "$a_up_fail" ]]; then
  down_ran=1
  t0=$(now); a_down_fail=""
  for (( i=${#ups[@]}-1; i>=0; i-- )); do
    d="${ups[$i]%.up.sql}.down.sql"
    [[ -f "$d" ]] || continue
    one=(-1); no_tx "$d" && one=()
    if ! psql -q -X -v ON_ERROR_STOP=1 "${one[@]}" -f "$d" "$ua" > /dev/null 2>> "$work/out/down.psql.err"; then
      a_down_fail="$(basename "$d")"; break
    fi
  done
  res[a_down_time]=$(secs "$t0" "$(now)")
  [[ -n "$a_down_fail" ]] && log "psql failed on $a_down_fail: $(tail -3 "$work/out/down.psql.err")"
  # (when up stopped part way, this takes back what it applied: the down path is tried all the same)
  target=(--all); a_fv=""
  if [[ -n "$a_down_fail" ]]; then a_fv="$(vnum "$a_down_fail")"; target=(--to "$a_fv"); fi
  log "reverso down ${target[*]}..."
  dall=(--url "$ub" --dir "$mig" ${rargs[@]+"${rargs[@]}"} ${dargs[@]+"${dargs[@]}"})
  read -r b_down_rc b_down_time < <(run_reverso down down "${target[@]}" "${dall[@]}")
  if (( persist )); then
    n=0; rc="$b_down_rc"; prev=down; accept=()
    while [[ "$rc" != 0 ]] && (( n < 100 )); do
      n=$((n + 1))
      fv=$(psql -X -At "$ub" -c "select version from reverso.migrations where state <> 'rolled_back' order by version::numeric desc limit 1" 2>/dev/null)
      if [[ "$rc" == 1 ]] && (( ${#accept[@]} == 0 )); then
        # refused up front (data would be lost): record it, then go on with --accept-loss
        note_failure "down (refused)" "$prev" "$(err_line "$prev" | grep -oE '^rolling back [0-9]+' | grep -oE '[0-9]+$')"
        accept=(--accept-loss)
        log "down refused; again with --accept-loss"
      else
        note_failure down "$prev" "${fv:-?}"
        [[ -n "$fv" ]] || break
        log "down failed at $fv; that one again with --no-archive --accept-loss, then on"
        read -r rc t < <(run_reverso "down.$n.noarchive" down --count 1 --no-archive --accept-loss "${dall[@]}")
        b_down_time=$(awk -v a="$b_down_time" -v b="$t" 'BEGIN { printf "%.1f", a + b }')
        if [[ "$rc" != 0 ]]; then
          note_failure "down (--no-archive --accept-loss)" "down.$n.noarchive" "$fv"
          # what is left in the archive may be what blocks it: purge it and try once more
          log "and again after archive purge"
          (cd "$work" && "$root/bin/reverso" archive purge --older-than 0s --url "$ub" --dir "$mig" > "$work/out/down.$n.purge.out" 2>&1)
          read -r rc t < <(run_reverso "down.$n.purged" down --count 1 --no-archive --accept-loss "${dall[@]}")
          b_down_time=$(awk -v a="$b_down_time" -v b="$t" 'BEGIN { printf "%.1f", a + b }')
          if [[ "$rc" != 0 ]]; then note_failure "down (after archive purge)" "down.$n.purged" "$fv"; break; fi
          failures+=("down (after archive purge) | $fv | 0 | succeeded once the archive was purged")
        fi
      fi
      prev="down.$n"
      read -r rc t < <(run_reverso "$prev" down "${target[@]}" "${dall[@]}" ${accept[@]+"${accept[@]}"})
      b_down_time=$(awk -v a="$b_down_time" -v b="$t" 'BEGIN { printf "%.1f", a + b }')
    done
    b_down_rc="$rc"
  fi
  b_left=$(psql -X -At "$ub" -c "select count(*) from reverso.migrations where state = 'applied'" 2>/dev/null || echo "?")
  read -r down_sdiff down_rdiff < <(compare down)
  if [[ -n "$a_fv" ]]; then
    log "reverso down of $a_fv alone (the file psql failed on)..."
    read -r b_broken_rc t < <(run_reverso down.broken down --count 1 "${dall[@]}")
  fi
fi

# --- summary ----------------------------------------------------------------------------------
traces() { cat "$work/out/$1"*.err 2>/dev/null | grep -cE '^\s+at [a-z]+\.|Exception' || true; }
echo "# Real history: $src"
echo
echo "- layout: $layout; ${#ups[@]} up files, $ndown down files; ${#notx_list[@]} run outside a transaction${notx_list[*]:+ (${notx_list[*]})}"
[[ -n "$upto" ]] && echo "- only up to version $upto"
[[ -n "$exclude" ]] && echo "- left out: $exclude"
echo "- reverso options: --format json${rargs[*]:+ ${rargs[*]}}"
echo
echo "| phase | psql (A) | reverso (B) | exit | B's error |"
echo "|---|---|---|---|---|"
echo "| up | ${res[a_up_time]} s${a_up_fail:+, failed at $a_up_fail} | $b_up_time s, $b_applied applied | $b_up_rc | $( [[ $b_up_rc == 0 ]] || err_line up ) |"
if (( down_ran )); then
  echo "| down ${target[*]} | ${res[a_down_time]} s${a_down_fail:+, failed at $a_down_fail} | $b_down_time s, $b_left left applied | $b_down_rc | $( [[ $b_down_rc == 0 ]] || err_line down ) |"
  if [[ -n "$a_fv" ]]; then
    echo "| down of $a_fv | psql: $(grep ERROR "$work/out/down.psql.err" | tail -1 | sed 's/.*ERROR: *//' | cut -c1-200) | | $b_broken_rc | $(err_line down.broken) |"
  fi
fi
echo
echo "- after up: schema differences $up_sdiff lines ($work/out/up.schema.diff), row-count differences $up_rdiff ($work/out/up.rows.diff)"
(( down_ran )) && echo "- after down ${target[*]}: schema differences $down_sdiff lines ($work/out/down.schema.diff), row-count differences $down_rdiff ($work/out/down.rows.diff)"
echo "- stack-trace lines on stderr: up $(traces up)$( (( down_ran )) && echo ", down $(traces down)")"
if (( ${#failures[@]} )); then
  echo
  echo "Failures (phase | version | exit | error):"
  echo
  for f in "${failures[@]}"; do echo "- $f"; done
  echo
fi
echo "- outputs: $work/out (up.json, up.err, down.json, down.err, *.psql.err), run reports: $work/reports"
ok=1
(( ${#failures[@]} == 0 )) || ok=0
[[ "$b_up_rc" == 0 && "$up_sdiff" == 0 && "$up_rdiff" == 0 ]] || ok=0
if (( do_down )); then
  (( down_ran )) && [[ "$b_down_rc" == 0 && "$down_sdiff" == 0 && "$down_rdiff" == 0 ]] || ok=0
fi
psql_note=""
[[ -n "$a_up_fail$a_down_fail" ]] && psql_note=" (psql itself failed on ${a_up_fail:-$a_down_fail}, a fault of the project's files; compared up to there)"
[[ -n "$a_up_fail" ]] && ok=0
if (( ok )); then echo "- result: reverso did what psql did$psql_note"; else echo "- result: DIFFERENT from psql, or reverso failed (see above)$psql_note"; fi
(( ok )) && exit 0 || exit 1
