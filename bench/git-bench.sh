#!/usr/bin/env bash
# Git server benchmark: clone and push latency (p50, p95) with 1 and with 50 concurrent clients,
# against the lab's Git server and, in the same run, against git's own `git daemon` serving a copy
# of the same repository. Prints a table and the ratio ours / git daemon (target: within 2x at 50).
# Loopback only; every process it starts is stopped on exit.
#
#   bench/git-bench.sh [ROUNDS_FOR_ONE_CLIENT] [CONCURRENT]     (defaults: 10 and 50)
set -euo pipefail

rounds="${1:-10}"
concurrent="${2:-50}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# ours
"$root/scripts/workshop" git serve --data-dir "$work/lab" >"$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 200); do [ -f "$work/lab/lab.json" ] && break; sleep 0.05; done
[ -f "$work/lab/lab.json" ] || { cat "$work/serve.log"; echo "git serve did not start" >&2; exit 1; }
ours_url="$(python3 -c "
import json, urllib.parse
g = json.load(open('$work/lab/lab.json'))['git']
print(g['url'].replace('http://', 'http://%s:%s@' % (g['username'], urllib.parse.quote(g['password'], safe=''))))")"

# git's own server, on a copy of the same repository
mkdir -p "$work/daemon"
cp -r "$work/lab/git/workshop.git" "$work/daemon/workshop.git"
dport="$(free_port)"
git daemon --reuseaddr --listen=127.0.0.1 --port="$dport" --base-path="$work/daemon" --export-all \
  --enable=receive-pack --max-connections=0 "$work/daemon" >"$work/daemon.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do git ls-remote "git://127.0.0.1:$dport/workshop.git" >/dev/null 2>&1 && break; sleep 0.05; done
daemon_url="git://127.0.0.1:$dport/workshop.git"

# one client: clone, commit, push to its own branch; appends "clone SECONDS" and "push SECONDS"
client() {
  local url="$1" dir="$2" branch="$3" out="$4" t0 t1 t2
  t0="$(date +%s.%N)"
  git clone -q "$url" "$dir" 2>>"$out.err" || { echo "clone FAILED" >>"$out"; return; }
  t1="$(date +%s.%N)"
  echo "$branch" >"$dir/bench.txt"
  git -C "$dir" add bench.txt && git -C "$dir" commit -q -m "$branch"
  t2="$(date +%s.%N)"
  if git -C "$dir" push -q origin "HEAD:refs/heads/$branch" 2>>"$out.err"; then
    echo "clone $(python3 -c "print($t1-$t0)")" >>"$out"
    echo "push $(python3 -c "print($(date +%s.%N)-$t2)")" >>"$out"
  else
    echo "push FAILED" >>"$out"
  fi
}

measure() { # name url clients rounds
  local name="$1" url="$2" n="$3" r="$4" out="$work/$1-$3.txt"
  : >"$out"
  for round in $(seq 1 "$r"); do
    for i in $(seq 1 "$n"); do
      client "$url" "$work/c-$name-$n-$round-$i" "b-$name-$n-$round-$i" "$out" &
    done
    wait $(jobs -p | grep -v -e "${pids[0]}" -e "${pids[1]}") 2>/dev/null || true
    rm -rf "$work"/c-"$name"-"$n"-"$round"-*
  done
  echo "$out"
}

summary() { # file -> "clone_p50 clone_p95 push_p50 push_p95 failures"
  python3 - "$1" <<'PY'
import sys
vals = {"clone": [], "push": []}
fail = 0
for line in open(sys.argv[1]):
    k, v = line.split()
    if v == "FAILED":
        fail += 1
    else:
        vals[k].append(float(v))
def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")
print(f'{pct(vals["clone"],50):.3f} {pct(vals["clone"],95):.3f} {pct(vals["push"],50):.3f} {pct(vals["push"],95):.3f} {fail}')
PY
}

declare -A res
for n in 1 "$concurrent"; do
  r=1; [ "$n" = 1 ] && r="$rounds"
  res[ours-$n]="$(summary "$(measure ours "$ours_url" "$n" "$r")")"
  res[daemon-$n]="$(summary "$(measure daemon "$daemon_url" "$n" "$r")")"
done

printf '%-12s %8s %10s %10s %10s %10s %9s\n' server clients clone-p50 clone-p95 push-p50 push-p95 failures
for n in 1 "$concurrent"; do
  for s in ours daemon; do
    read -r c50 c95 p50 p95 f <<<"${res[$s-$n]}"
    label="$s"; [ "$s" = ours ] && label="workshop"; [ "$s" = daemon ] && label="git-daemon"
    printf '%-12s %8s %9ss %9ss %9ss %9ss %9s\n' "$label" "$n" "$c50" "$c95" "$p50" "$p95" "$f"
  done
done
read -r oc50 oc95 op50 op95 _ <<<"${res[ours-$concurrent]}"
read -r dc50 dc95 dp50 dp95 _ <<<"${res[daemon-$concurrent]}"
python3 - <<PY
c = $oc95 / $dc95
p = $op95 / $dp95
print(f"ratio workshop / git-daemon at $concurrent clients (p95): clone {c:.2f}x, push {p:.2f}x (target: within 2x)")
PY
