#!/usr/bin/env bash
# A workshop day compressed: one embedded lab under pushes, drift repairs, watchers, the projector,
# resets and demos, for SOAK_MINUTES (default 20). Ten `kubectl get -w` watchers run all along, one
# of them paused with SIGSTOP (a terminal left in the background); the projector's event stream is
# open; every 100 pushes a `reset 4` and a `demo drift` run in between. Every 10 s the lab's RSS and
# thread count are sampled. Prints figures and a verdict against the budgets: RSS plateau under
# 400 MB, threads bounded, push -> applied p95 of the last 100 pushes under 300 ms, no push lost,
# `git fsck` clean. Loopback only; stops what it started and removes its folder on exit.
#
#   bench/soak.sh [PUSHES] [DRIFTS]          (defaults 1000 and 1000; SOAK_MINUTES=20)
set -euo pipefail

pushes="${1:-1000}"
drifts="${2:-1000}"
minutes="${SOAK_MINUTES:-20}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

data="$work/lab"
"$root/scripts/workshop" up --cluster embedded --data-dir "$data" >"$work/up.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do [ -f "$data/lab.json" ] && break; sleep 0.1; done
[ -f "$data/lab.json" ] || { cat "$work/up.log"; echo "lab did not start" >&2; exit 1; }
lab_pid="$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['pid'])" "$data/lab.json")"

kc=(kubectl --kubeconfig "$data/kubeconfig" --cache-dir "$work/kcache")
for i in $(seq 1 10); do
  "${kc[@]}" get configmaps,deployments,pods -A -w >"$work/watch-$i.log" 2>&1 &
  pids+=($!)
done
paused="${pids[-1]}"
kill -STOP "$paused"   # a participant's terminal, suspended with Ctrl-Z for the rest of the day
projector="$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['console']['projector'])" "$data/lab.json")"
curl -sN "$projector/events" >"$work/projector.log" 2>&1 &
pids+=($!)

python3 "$root/bench/soak_day.py" "$root" "$data" "$work/ws" "$pushes" "$drifts" "$minutes" "$lab_pid" "$work/samples.csv"
kill -CONT "$paused" 2>/dev/null || true
