"""Trials for bench/projector-bench.sh: follows the projector's event stream like a browser's
EventSource, pushes and deletes as a participant, and measures until the stream shows each change."""
import json, os, subprocess, sys, threading, time, urllib.request
import sse_states

data, trials = sys.argv[1], int(sys.argv[2])
lab = json.load(open(os.path.join(data, "lab.json")))
ws = os.path.join(data, "workspace")
latest = {"state": None}
cond = threading.Condition()

def on_state(state):
    with cond:
        latest["state"] = state
        cond.notify_all()

threading.Thread(target=sse_states.follow, args=(lab["console"]["projector"] + "/events", on_state), daemon=True).start()

def wait_for(pred, limit=30.0):
    end = time.monotonic() + limit
    with cond:
        while not (latest["state"] and pred(latest["state"])):
            left = end - time.monotonic()
            if left <= 0:
                raise SystemExit("timed out waiting for the stream")
            cond.wait(left)

def git(*args):
    return subprocess.run(["git", "-C", ws, *args], check=True, capture_output=True, text=True).stdout.strip()

def kubectl(*args):
    subprocess.run(["kubectl", "--kubeconfig", os.path.join(data, "kubeconfig"), "--cache-dir", os.path.join(data, "kcache"),
                    *args], check=True, capture_output=True)

def deletes(state):
    return {e["at"] for e in state["timeline"] if e["text"] == "Deployment default/podinfo deleted"}

def ready_podinfo(state):
    return any(w["name"] == "podinfo" and w["ready"] >= 1 for w in state["workloads"])

WARMUP = 3
push, delete = [], []
for i in range(trials + WARMUP):
    with open(os.path.join(ws, "deploy/kubernetes/note.txt"), "w") as f:
        f.write("trial %d\n" % i)
    git("add", "-A"); git("commit", "-q", "-m", "trial %d" % i)
    sha = git("rev-parse", "HEAD")
    t0 = time.monotonic()
    git("push", "-q", "origin", "main")
    wait_for(lambda s: s["git"]["commits"] and s["git"]["commits"][0]["sha"] == sha)
    push.append(time.monotonic() - t0)
for i in range(trials + WARMUP):
    wait_for(ready_podinfo)
    with cond:
        before = deletes(latest["state"])
    t0 = time.monotonic()
    kubectl("delete", "deployment", "podinfo", "--wait=false")
    wait_for(lambda s: bool(deletes(s) - before))
    delete.append(time.monotonic() - t0)

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]

print("%-32s %9s %9s %9s %7s" % ("on the projector's stream", "p50", "p95", "first", "trials"))
for name, xs in (("push -> new commit", push), ("delete -> timeline event", delete)):
    warm = xs[WARMUP:]
    print("%-32s %8.3fs %8.3fs %8.3fs %7d" % (name, pct(warm, 50), pct(warm, 95), xs[0], len(warm)))
