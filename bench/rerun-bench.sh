#!/usr/bin/env bash
# The whole tutorial with `run --auto` on an embedded cluster, run RUNS times on the same data dir:
# the first run on a new data dir, then reruns (which undo the done steps first, then prove each
# step again). Prints each run's wall time and the lab process's maximum RSS, then a verdict
# against the budgets: a rerun within 1.5x of the first run's time, and every run under 400 MB.
#
#   bench/rerun-bench.sh [RUNS]      (default 3)
set -euo pipefail

runs="${1:-3}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }

printf '%-6s %10s %12s\n' RUN WALL_S MAX_RSS_MB
walls=()
rss=()
for i in $(seq 1 "$runs"); do
  if ! /usr/bin/time -f '%e %M' -o "$work/time-$i" "$root/scripts/workshop" run --auto --cluster embedded \
      --data-dir "$work/lab" >"$work/run-$i.log" 2>&1; then
    cat "$work/run-$i.log" >&2
    echo "run $i failed" >&2
    exit 1
  fi
  read -r wall kb <"$work/time-$i"
  walls+=("$wall")
  rss+=("$((kb / 1024))")
  printf '%-6s %10s %12s\n' "$i" "$wall" "$((kb / 1024))"
done

python3 - "${walls[*]}" "${rss[*]}" <<'PY'
import sys
walls = [float(w) for w in sys.argv[1].split()]
rss = [int(r) for r in sys.argv[2].split()]
first, reruns = walls[0], walls[1:]
worst = max(reruns) if reruns else first
print(f"rerun / first run: {worst / first:.2f}x (budget 1.5x)  {'ok' if worst <= 1.5 * first else 'OVER'}")
print(f"max RSS: {max(rss)} MB (budget 400 MB)  {'ok' if max(rss) < 400 else 'OVER'}")
PY
