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
# `kubectl get -w` watches one resource type: the watchers take turns, and the tenth, the one that
# is paused, watches Events, which change most often.
kinds=(configmaps deployments pods replicasets events)
for i in $(seq 1 10); do
  "${kc[@]}" get "${kinds[$(( (i + 4) % 5 ))]}" -A -w >"$work/watch-$i.log" 2>&1 &
  pids+=($!)
done
paused="${pids[-1]}"
# Pause it only once kubectl runs and has printed its first list: stopped any earlier, the child
# could still be the shell about to start kubectl, and nothing would watch.
for _ in $(seq 1 300); do [ -s "$work/watch-10.log" ] && break; sleep 0.1; done
sleep 1
for i in $(seq 1 10); do
  running="$(ps -o args= -p "${pids[$i]}" || true)"
  [[ "$running" == kubectl* ]] || { echo "watcher $i is not watching (${running:-ended}): $(head -c 300 "$work/watch-$i.log")" >&2; exit 1; }
done
kill -STOP "$paused"   # a participant's terminal, suspended with Ctrl-Z for the rest of the day
projector="$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['console']['projector'])" "$data/lab.json")"
curl -sN "$projector/events" >"$work/projector.log" 2>&1 &
pids+=($!)

verdict=0
python3 "$root/bench/soak_day.py" "$root" "$data" "$work/ws" "$pushes" "$drifts" "$minutes" "$lab_pid" "$work/samples.csv" || verdict=$?
alive=0
for i in $(seq 1 9); do kill -0 "${pids[$i]}" 2>/dev/null && alive=$((alive + 1)); done
printf '%-34s %d of 9 still watching\n' "kubectl get -w watchers" "$alive"
kill -CONT "$paused" 2>/dev/null || true
sleep 2
if kill -0 "$paused" 2>/dev/null; then state="still watching"; else state="ended: $(tail -n 1 "$work/watch-10.log")"; fi
printf '%-34s %s\n' "the paused watcher, resumed" "$state"
[ "$alive" -eq 9 ] || verdict=1
exit "$verdict"
