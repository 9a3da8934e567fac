#!/usr/bin/env bash
# Startup benchmark on the embedded cluster, with and without the launcher's class-data archive, in
# one run (trials alternate, so both see the same machine): time from the command (the launcher, as
# a user types it) to a ready lab
# (lab.json written and /readyz answering), the lab's RSS then, and the wall time of a whole
# `run --auto` (a lab started, the nine steps solved and checked, the lab stopped). Budgets: ready in
# 1.5 s, run --auto in 5 s, on a quiet 2-core machine.
#
#   bench/startup.sh [TRIALS]      (default 5)
#   STARTUP_BASELINE=<another checkout> bench/startup.sh [TRIALS]
#
# With STARTUP_BASELINE, that checkout's build (built there first, with its own class-data archive)
# is measured too ("baseline", with its archive), in the same alternating trials: before and after
# a change, on the same machine.
set -euo pipefail

trials="${1:-5}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
jsa="$root/workshop/target/workshop.jsa"
[ -f "$jsa" ] || { echo "no class-data archive: scripts/workshop makes it after a build (WORKSHOP_CDS=off?)" >&2; exit 1; }
modes=(jdk-only archive)
if [ -n "${STARTUP_BASELINE:-}" ]; then
  baseline="$(cd "$STARTUP_BASELINE" && pwd)"
  "$baseline/scripts/workshop" --version >/dev/null
  [ -f "$baseline/workshop/target/workshop.jsa" ] || { echo "no class-data archive in $baseline" >&2; exit 1; }
  modes+=(baseline)
fi

home_of() { # mode -> the checkout whose build it runs
  case "$1" in
    jdk-only) echo "$root" ;;
    archive) echo "$root" ;;
    baseline) echo "$baseline" ;;
  esac
}
# Each mode runs through its checkout's launcher, with the JVM options that launcher gives: what a
# user's command does ("jdk-only" turns the class-data archive off).
cds_of() { # mode -> WORKSHOP_CDS
  if [ "$1" = jdk-only ]; then echo off; else echo on; fi
}

now() { date +%s.%N; }

ready_once() { # mode n -> "seconds rss_mb"
  local mode="$1" data="$work/$1-$2"
  local start; start="$(now)"
  WORKSHOP_CDS="$(cds_of "$mode")" "$(home_of "$mode")/scripts/workshop" up --cluster embedded --data-dir "$data" >"$work/$mode-$2.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 3000); do
    [ -f "$data/lab.json" ] && kubectl --kubeconfig "$data/kubeconfig" --cache-dir "$work/kc" get --raw /readyz >/dev/null 2>&1 && break
    sleep 0.01
  done
  local end; end="$(now)"
  local rss; rss="$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  python3 -c "print(f'{$end - $start:.2f} $rss')"
}

run_once() { # mode n -> seconds
  local mode="$1"
  local start; start="$(now)"
  WORKSHOP_CDS="$(cds_of "$mode")" "$(home_of "$mode")/scripts/workshop" run --auto --cluster embedded --data-dir "$work/run-$mode-$2" >"$work/run-$mode-$2.log" 2>&1 \
    || { cat "$work/run-$mode-$2.log" >&2; echo "run --auto failed" >&2; exit 1; }
  python3 -c "print(f'{$(now) - $start:.2f}')"
}

declare -A ready rss runs
for n in $(seq 1 "$trials"); do
  for mode in "${modes[@]}"; do
    read -r s m < <(ready_once "$mode" "$n")
    ready[$mode]+="$s "; rss[$mode]+="$m "
    runs[$mode]+="$(run_once "$mode" "$n") "
  done
done

median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.2f}')" $1; }
printf '%-10s %12s %10s %16s   (medians of %s trials; load average %s)\n' "classes" "lab ready" "RSS" "run --auto" "$trials" \
  "$(cut -d' ' -f1 /proc/loadavg)"
for mode in "${modes[@]}"; do
  printf '%-10s %11ss %8s MB %15ss\n' "$mode" "$(median "${ready[$mode]}")" "$(median "${rss[$mode]}")" "$(median "${runs[$mode]}")"
done
