"""Trials for bench/room-bench.sh: simulated participants post step events to a room while a reader
follows the board's event stream; each event is timed from its POST to the first board state that
shows it."""
import base64, json, os, random, subprocess, sys, threading, time, urllib.request, uuid
from datetime import datetime, timezone
import sse_states

room_dir, participants_file, server_pid, pace = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
room = json.load(open(os.path.join(room_dir, "lab.json")))["room"]["url"]
people = json.load(open(participants_file))
STEPS = 9
latest = {"state": None, "at": 0.0}
cond = threading.Condition()
pending = {}          # (name, step, state) -> POST start (monotonic)
latencies = {"pace": [], "burst": []}
phase = {"name": "pace"}
posted = {"count": 0}
lock = threading.Lock()
max_rss = {"kb": 0}

def on_state(state):
    now = time.monotonic()
    seen = {(p["name"], s["id"], s["state"]) for p in state["participants"] for s in p["steps"]}
    with cond:
        latest["state"] = state
        # a step started and done within one board refresh shows done at once: the start is shown too
        for key in [k for k in pending if k in seen or (k[2] == "in progress" and (k[0], k[1], "done") in seen)]:
            latencies[phase["name"]].append(now - pending.pop(key))
        cond.notify_all()

def sample_rss():
    while True:
        try:
            rss = int(subprocess.run(["ps", "-o", "rss=", "-p", str(server_pid)], capture_output=True, text=True).stdout.strip() or 0)
            max_rss["kb"] = max(max_rss["kb"], rss)
        except ValueError:
            pass
        time.sleep(0.5)

def post(person, events, expect=None):
    body = json.dumps({"sentAt": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"), "events": events}).encode()
    auth = base64.b64encode(f"{person['name']}:{person['password']}".encode()).decode()
    request = urllib.request.Request(room + "room/api/events", data=body, method="POST",
                                     headers={"Authorization": "Basic " + auth, "Content-Type": "application/json"})
    if expect:
        with cond:
            pending[expect] = time.monotonic()
    with urllib.request.urlopen(request, timeout=30) as r:
        if r.status != 200:
            raise SystemExit(f"the room answered {r.status}")
    with lock:
        posted["count"] += len(events)

def event(kind, step, **extra):
    e = {"id": uuid.uuid4().hex, "type": kind, "step": step, "at": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")}
    e.update(extra)
    return e

def participant(person, rng, until_step):
    """Steps 0..until_step at a pace that spreads the room's events over `pace` seconds."""
    gap = pace / (until_step + 1) / 3
    post(person, [event("joined", 0)])
    for step in range(until_step + 1):
        time.sleep(rng.uniform(0, gap))
        post(person, [event("started", step)], (person["name"], step, "in progress"))
        if rng.random() < 0.5:
            time.sleep(rng.uniform(0, gap))
            post(person, [event("failing", step, check="Deployment default/podinfo available", message="0 of 1")])
        if rng.random() < 0.2:
            post(person, [event("hint", step, message="kubectl -n flux-system get pods shows the controllers starting.")])
        time.sleep(rng.uniform(0, gap))
        post(person, [event("done", step)], (person["name"], step, "done"))

def wait_settled(limit=30.0):
    end = time.monotonic() + limit
    with cond:
        while pending:
            left = end - time.monotonic()
            if left <= 0:
                break
            cond.wait(left)

def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]

threading.Thread(target=sse_states.follow, args=(room + "room/events", on_state), daemon=True).start()
threading.Thread(target=sample_rss, daemon=True).start()
time.sleep(1)

# Phase 1: a workshop's pace, compressed: every participant through steps 0..3
start = time.monotonic()
threads = [threading.Thread(target=participant, args=(p, random.Random(i), 3)) for i, p in enumerate(people)]
for t in threads: t.start()
for t in threads: t.join()
wait_settled()
pace_s = time.monotonic() - start

# Phase 2: everyone finishes step 4 in the same second
phase["name"] = "burst"
for p in people:
    post(p, [event("started", 4)])
wait_settled()
latencies["burst"].clear()
barrier = threading.Barrier(len(people))
def finish(person):
    barrier.wait()
    post(person, [event("done", 4)], (person["name"], 4, "done"))
threads = [threading.Thread(target=finish, args=(p,)) for p in people]
burst_start = time.monotonic()
for t in threads: t.start()
for t in threads: t.join()
burst_posted = time.monotonic() - burst_start
wait_settled()

# Nothing lost: the board shows every participant done up to step 4, and the room stored every event.
with urllib.request.urlopen(room + "room/state") as r:
    final = json.load(r)
wrong = [p["name"] for p in final["participants"]
         if [s["state"] for s in p["steps"]][:5] != ["done"] * 5 or p["done"] != 5]
stored = sum(1 for line in open(os.path.join(room_dir, "room-events.jsonl")) if line.strip())
lost = posted["count"] - stored

pace_p = latencies["pace"]
burst_p = latencies["burst"]
rss_mb = max_rss["kb"] // 1024
print(f"{'figure':<52} {'value':>10}   budget")
print(f"{'participants':<52} {len(people):>10}")
print(f"{'events posted (pace phase ' + format(pace_s, '.0f') + ' s, then burst)':<52} {posted['count']:>10}")
print(f"{'event -> board, workshop pace, p50':<52} {pct(pace_p, 50):>9.3f}s")
print(f"{'event -> board, workshop pace, p95':<52} {pct(pace_p, 95):>9.3f}s   1 s")
print(f"{'burst: ' + str(len(people)) + ' finish step 4 at once (posted in ' + format(burst_posted, '.2f') + ' s), p50':<52} {pct(burst_p, 50):>9.3f}s")
print(f"{'burst p95':<52} {pct(burst_p, 95):>9.3f}s   1 s")
print(f"{'events never shown on the board':<52} {len(pending):>10}   0")
print(f"{'events lost (posted - stored)':<52} {lost:>10}   0")
print(f"{'participants whose board row is wrong at the end':<52} {len(wrong):>10}   0")
print(f"{'room server RSS (max sampled)':<52} {rss_mb:>8}MB   300 MB")
ok = pct(pace_p, 95) < 1 and pct(burst_p, 95) < 1 and rss_mb < 300 and lost == 0 and not wrong and not pending
print("verdict:", "within budget" if ok else "OVER BUDGET")
sys.exit(0 if ok else 1)
