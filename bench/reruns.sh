#!/usr/bin/env bash
# `run --auto` again and again on one data dir, as a rehearsing instructor or a CI that keeps its
# workspace does: each run's wall time and its peak RSS (GNU time's maximum resident set size).
# Budget: every run under 400 MB.
#
#   bench/reruns.sh [RUNS]      (default 5)
set -euo pipefail

runs="${1:-5}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time: apt-get install time)" >&2; exit 1; }

printf '%-4s %10s %12s %s\n' run seconds "peak RSS" result
worst=0
for n in $(seq 1 "$runs"); do
  /usr/bin/time -f "%e %M" -o "$work/time-$n" "$root/scripts/workshop" run --auto --cluster embedded --data-dir "$work/lab" \
    >"$work/run-$n.log" 2>&1 && result=passed || result=FAILED
  read -r seconds kb <"$work/time-$n"
  mb=$((kb / 1024))
  [ "$mb" -gt "$worst" ] && worst="$mb"
  printf '%-4s %9ss %9s MB %s\n' "$n" "$seconds" "$mb" "$result"
done
[ "$worst" -lt 400 ] && echo "verdict: within budget (peak $worst MB)" || { echo "verdict: OVER BUDGET (peak $worst MB)"; exit 1; }
