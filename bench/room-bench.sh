#!/usr/bin/env bash
# Room benchmark: a room server (room serve, loopback) and PARTICIPANTS simulated labs posting step
# events as a room's laptops do: first at a workshop's pace (each participant through the nine
# steps, a started, a failing check now and then, a hint, done), then a burst (every participant
# finishing step 4 in the same second). A reader follows the board's event stream
# (/room/events, what the projector's browser gets) and times each event from its POST to the
# first board state that shows it. Prints p50/p95 for both phases, the room server's RSS and
# whether any event was lost (the board's final state and the room's stored events against what
# was posted). Budgets: p95 under 1 s, RSS under 300 MB, nothing lost. Loopback only.
#
#   bench/room-bench.sh [PARTICIPANTS] [PACE_SECONDS]      (default 100 participants over 60 s)
set -euo pipefail

participants="${1:-100}"
pace="${2:-60}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

names=()
for i in $(seq 1 "$participants"); do names+=("$(printf 'p%03d' "$i")"); done
"$root/scripts/workshop" room add --data-dir "$work/room" "${names[@]}" >/dev/null 2>&1
"$root/scripts/workshop" room serve --bind 127.0.0.1 --data-dir "$work/room" >"$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do [ -f "$work/room/lab.json" ] && break; sleep 0.05; done
[ -f "$work/room/lab.json" ] || { cat "$work/serve.log"; echo "the room did not start" >&2; exit 1; }
server_pid="$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['pid'])" "$work/room/lab.json")"
"$root/scripts/workshop" room list -o json --data-dir "$work/room" >"$work/participants.json"
python3 "$root/bench/room_trials.py" "$work/room" "$work/participants.json" "$server_pid" "$pace"
