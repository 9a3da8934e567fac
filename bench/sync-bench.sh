#!/usr/bin/env bash
# GitOps loop benchmark on the embedded cluster: push-to-applied and delete-to-recreated latency
# (p50, p95 over N trials) with nudges on, and with nudges off (Flux's intervals, set short here:
# GitRepository 1s, Kustomization 2s, so that the run stays short; real defaults are minutes).
# Target with nudges on: p95 under 300 ms. "first" is the first trial, on a cold JVM; it and the
# next two warm-up trials are left out of p50/p95. Loopback only; the labs are stopped on exit.
#
#   bench/sync-bench.sh [TRIALS]      (default 20)
set -euo pipefail

trials="${1:-20}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

run_lab() { # name nudge -> prints figures
  local name="$1" nudge="$2" data="$work/$1"
  "$root/scripts/workshop" up --cluster embedded --nudge "$nudge" --data-dir "$data" >"$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do [ -f "$data/lab.json" ] && break; sleep 0.05; done
  [ -f "$data/lab.json" ] || { cat "$work/$name.log"; echo "lab did not start" >&2; exit 1; }
  python3 "$root/bench/sync_trials.py" "$data" "$work/$name-ws" "$trials" "$nudge"
}

printf '%-10s %-22s %9s %9s %9s %7s\n' nudges measure p50 p95 first trials
run_lab on on
run_lab off off
