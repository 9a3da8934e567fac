#!/usr/bin/env bash
# `run --auto` again and again on one data dir, as a rehearsing instructor or a CI that keeps its
# workspace does: each run's wall time and its peak RSS (GNU time's maximum resident set size).
# Budgets: every run under 400 MB, and a rerun (which undoes the done steps first, then proves
# each step again) within 1.5x of the first run's time.
#
#   bench/reruns.sh [RUNS]      (default 5)
set -euo pipefail

runs="${1:-5}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time: apt-get install time)" >&2; exit 1; }

printf '%-4s %10s %12s %s\n' run seconds "peak RSS" result
worst=0
over=0
first=
slowest=0
for n in $(seq 1 "$runs"); do
  /usr/bin/time -f "%e %M" -o "$work/time-$n" "$root/scripts/workshop" run --auto --cluster embedded --data-dir "$work/lab" \
    >"$work/run-$n.log" 2>&1 && result=passed || result=FAILED
  read -r seconds kb <"$work/time-$n"
  mb=$((kb / 1024))
  [ "$mb" -gt "$worst" ] && worst="$mb"
  if [ -z "$first" ]; then first="$seconds"; elif awk "BEGIN{exit !($seconds > $slowest)}"; then slowest="$seconds"; fi
  printf '%-4s %9ss %9s MB %s\n' "$n" "$seconds" "$mb" "$result"
  [ "$result" = passed ] || over=1
done
[ "$worst" -lt 400 ] && echo "memory: within budget (peak $worst MB)" || { echo "memory: OVER BUDGET (peak $worst MB)"; over=1; }
if [ "$runs" -gt 1 ]; then
  if awk "BEGIN{exit !($slowest <= 1.5 * $first)}"; then
    echo "reruns: within budget (slowest ${slowest}s, first ${first}s)"
  else
    echo "reruns: OVER BUDGET (slowest ${slowest}s, more than 1.5x the first ${first}s)"; over=1
  fi
fi
exit "$over"
