#!/usr/bin/env bash
# Clone and push latency of the workshop's Git server against git's own `git daemon`, measured in
# the same run with the real git CLI on loopback: 1 client (sequential rounds) and N concurrent
# clients. Prints p50/p95 per server and the ratio ours/git-daemon.
#
# usage: bench/git-bench.sh [CONCURRENT_CLIENTS (default 50)] [SEQUENTIAL_ROUNDS (default 10)]
set -euo pipefail

clients="${1:-50}"
rounds="${2:-10}"
op_timeout=180

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/git-bench.XXXXXX")"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" GIT_TERMINAL_PROMPT=0 GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@localhost GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@localhost
mkdir -p "$HOME"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

json_field() { # file section key
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]][sys.argv[3]])' "$@"
}

wait_until() { # seconds description command...
  local seconds="$1" what="$2"; shift 2
  for _ in $(seq $((seconds * 10))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "✗ $what did not happen within ${seconds}s" >&2
  exit 1
}

echo "► starting our Git server (builds the jar if needed)" >&2
"$root/scripts/workshop" --version >/dev/null
"$root/scripts/workshop" git serve --data-dir "$work/data" --port "$(free_port)" \
  >"$work/serve.out" 2>"$work/serve.err" &
pids+=($!)
wait_until 60 "our server writing lab.json" test -s "$work/data/lab.json"
url="$(json_field "$work/data/lab.json" git url)"
user="$(json_field "$work/data/lab.json" git username)"
password="$(json_field "$work/data/lab.json" git password)"
ours_url="${url/http:\/\//http://$user:$password@}"

echo "► starting git daemon on a copy of the same repository" >&2
mkdir -p "$work/daemon"
cp -r "$work/data/git/workshop.git" "$work/daemon/workshop.git"
daemon_port="$(free_port)"
git daemon --reuseaddr --listen=127.0.0.1 --port="$daemon_port" --base-path="$work/daemon" \
  --export-all --enable=receive-pack --max-connections=0 "$work/daemon" 2>"$work/daemon.err" &
pids+=($!)
daemon_url="git://127.0.0.1:$daemon_port/workshop.git"
wait_until 30 "git daemon answering" git ls-remote "$daemon_url"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# One client's operation, timed; a failure is recorded (and fails the run at the end).
timed() { # results-file command...
  local out="$1"; shift
  local start end
  start="$(now_ms)"
  if timeout "$op_timeout" "$@" >>"$work/ops.log" 2>&1; then
    end="$(now_ms)"
    echo $((end - start)) >>"$out"
  else
    echo "FAILED: $*" >>"$work/failures"
  fi
}

clone_one() { timed "$1" git clone -q "$2" "$3"; }

push_one() { # results url dir branch
  (cd "$3" && echo "$4" >"bench-$4.txt" && git add . && git commit -qm "bench $4") >>"$work/ops.log" 2>&1
  timed "$1" git -C "$3" push -q origin "HEAD:refs/heads/$4"
}

# N concurrent clones, then N concurrent pushes to N branches; `rounds` times when N is 1.
measure() { # name url n
  local name="$1" repo="$2" n="$3" reps=1 r i
  [ "$n" -eq 1 ] && reps="$rounds"
  local dir="$work/clients/$name-$n"
  for r in $(seq "$reps"); do
    rm -rf "$dir"; mkdir -p "$dir"
    local jobs=()
    for i in $(seq "$n"); do clone_one "$work/$name-clone-$n" "$repo" "$dir/$i" & jobs+=($!); done
    wait "${jobs[@]}"
    jobs=()
    for i in $(seq "$n"); do push_one "$work/$name-push-$n" "$repo" "$dir/$i" "$name-$n-$r-$i" & jobs+=($!); done
    wait "${jobs[@]}"
  done
}

percentile() { # file p
  sort -n "$1" | awk -v p="$2" '{v[NR]=$1} END {i=int((NR*p/100)+0.999999); if(i<1)i=1; print v[i]}'
}

for n in 1 "$clients"; do
  for server in ours daemon; do
    echo "► $server: $n client(s)" >&2
    if [ "$server" = ours ]; then measure ours "$ours_url" "$n"; else measure daemon "$daemon_url" "$n"; fi
  done
done

printf '\n%-6s %7s %9s %9s %11s %11s %9s %9s\n' op clients ours_p50 ours_p95 daemon_p50 daemon_p95 ratio_p50 ratio_p95
for op in clone push; do
  for n in 1 "$clients"; do
    o50="$(percentile "$work/ours-$op-$n" 50)"; o95="$(percentile "$work/ours-$op-$n" 95)"
    d50="$(percentile "$work/daemon-$op-$n" 50)"; d95="$(percentile "$work/daemon-$op-$n" 95)"
    printf '%-6s %7s %7sms %7sms %9sms %9sms %9s %9s\n' "$op" "$n" "$o50" "$o95" "$d50" "$d95" \
      "$(awk -v a="$o50" -v b="$d50" 'BEGIN{printf "%.2f", a/b}')" \
      "$(awk -v a="$o95" -v b="$d95" 'BEGIN{printf "%.2f", a/b}')"
  done
done
samples="$(cat "$work"/ours-* "$work"/daemon-* | wc -l)"
echo "($samples timed operations; latencies in milliseconds; ratio = ours / git daemon)"

if [ -s "$work/failures" ]; then
  echo "✗ $(wc -l <"$work/failures") operations failed:" >&2
  head -5 "$work/failures" >&2
  exit 1
fi
