#!/usr/bin/env bash
# Projector view benchmark on the embedded cluster: how long until the page's event stream
# (/projector/events, what the browser's EventSource gets) carries a change: a pushed commit
# (from the start of `git push`) and a deleted Deployment (from the start of the DELETE). p50 and
# p95 over N trials after three warm-up trials. The stream gathers changes for 150 ms (debounce),
# so that is the floor. Loopback only; the lab is stopped on exit.
#
#   bench/projector-bench.sh [TRIALS]      (default 20)
set -euo pipefail

trials="${1:-20}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

data="$work/lab"
"$root/scripts/workshop" up --cluster embedded --data-dir "$data" >"$work/up.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do [ -f "$data/lab.json" ] && break; sleep 0.05; done
[ -f "$data/lab.json" ] || { cat "$work/up.log"; echo "lab did not start" >&2; exit 1; }
"$root/scripts/workshop" run --auto --to 4 --data-dir "$data" >"$work/run.log" 2>&1 || { cat "$work/run.log"; exit 1; }
python3 "$root/bench/projector_trials.py" "$data" "$trials"
