#!/usr/bin/env bash
# Git server under a flood of event streams: how long `git ls-remote` takes while one account holds
# as many `GET /-/events` streams open as it can and keeps asking for more (the lab caps streams per
# account and in all; past the cap the server answers 429 at once). Prints the streams accepted and
# refused, and ls-remote's p50, p95 and max over ROUNDS, quiet and under the flood (target: p95
# under 1 s under the flood). Loopback only; every process it starts is stopped on exit.
#
#   bench/git-events-flood.sh [STREAMS] [ROUNDS]     (defaults: 300 and 20)
set -euo pipefail

streams="${1:-300}"
rounds="${2:-20}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$root/scripts/workshop" git serve --data-dir "$work/lab" >"$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 400); do grep -q "Git server listening" "$work/serve.log" 2>/dev/null && break; sleep 0.05; done
grep -q "Git server listening" "$work/serve.log" || { cat "$work/serve.log"; echo "git serve did not start" >&2; exit 1; }

python3 - "$work/lab/lab.json" "$streams" "$rounds" <<'PY'
import base64, json, socket, subprocess, sys, threading, time, urllib.parse

git = json.load(open(sys.argv[1]))["git"]
streams, rounds = int(sys.argv[2]), int(sys.argv[3])
host, port = git["url"].split("/")[2].split(":")
auth = base64.b64encode(f"{git['username']}:{git['password']}".encode()).decode()
url = git["url"].replace("http://", "http://%s:%s@" % (git["username"], urllib.parse.quote(git["password"], safe="")))

def ls_remote_times():
    times = []
    for _ in range(rounds):
        t = time.monotonic()
        subprocess.run(["git", "ls-remote", url], check=True, capture_output=True, timeout=60)
        times.append(time.monotonic() - t)
    return sorted(times)

def pct(xs, p):
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]

def show(name, xs):
    print(f"{name:<26} p50 {pct(xs, 50):6.3f} s   p95 {pct(xs, 95):6.3f} s   max {xs[-1]:6.3f} s")

ls_remote_times()  # warm up the server
quiet = ls_remote_times()

codes, held, stop = {}, [], threading.Event()
lock = threading.Lock()
def open_stream():
    s = socket.create_connection((host, int(port)))
    s.sendall(f"GET /-/events HTTP/1.1\r\nHost: lab\r\nAuthorization: Basic {auth}\r\n\r\n".encode())
    s.settimeout(30)
    head = s.recv(64)
    code = head.split(b" ")[1].decode() if head else "closed"
    with lock:
        codes[code] = codes.get(code, 0) + 1
    if code == "200":
        held.append(s)
    else:
        s.close()

threads = [threading.Thread(target=open_stream) for _ in range(streams)]
for t in threads: t.start()
for t in threads: t.join()

first = dict(codes)
codes.clear()
# and keep asking for more while ls-remote runs
def keep_asking():
    while not stop.is_set():
        try:
            open_stream()
        except OSError:
            pass
askers = [threading.Thread(target=keep_asking, daemon=True) for _ in range(8)]
for a in askers: a.start()
flood = ls_remote_times()
stop.set()

print(f"event streams asked for: {streams} at once, then 8 clients asking again without pause")
print(f"answers to the first {streams}: " + ", ".join(f"{n} x {c}" for c, n in sorted(first.items())))
print(f"answers while ls-remote ran: " + ", ".join(f"{n} x {c}" for c, n in sorted(codes.items())))
show("git ls-remote, quiet", quiet)
show("git ls-remote, flooded", flood)
for s in held: s.close()
PY
