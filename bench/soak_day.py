"""The day bench/soak.sh drives: pushes and drift repairs spread over the given minutes, a reset and
a demo every 100 pushes, the lab's RSS and threads sampled every 10 s; figures and a verdict."""
import base64, http.client, json, os, re, ssl, subprocess, sys, threading, time
from urllib.parse import quote

root, data, ws, pushes, drifts, minutes, lab_pid, samples_file = sys.argv[1:9]
pushes, drifts, minutes, lab_pid = int(pushes), int(drifts), float(minutes), int(lab_pid)
lab = json.load(open(os.path.join(data, "lab.json")))
cfg = open(os.path.join(data, "kubeconfig")).read()
server = re.search(r"server: (\S+)", cfg).group(1)
token = re.search(r"token: (\S+)", cfg).group(1)
ca = base64.b64decode(re.search(r"certificate-authority-data: (\S+)", cfg).group(1)).decode()
host, port = server.replace("https://", "").split(":")
ctx = ssl.create_default_context(cadata=ca)
H = {"Authorization": "Bearer " + token, "Accept": "application/json"}
conn = http.client.HTTPSConnection(host, int(port), context=ctx)

def api(method, path, body=None):
    global conn
    for _ in range(3):
        try:
            headers = dict(H)
            if body is not None:
                headers["Content-Type"] = "application/json"
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            return r.status, r.read()
        except (http.client.HTTPException, OSError):
            conn = http.client.HTTPSConnection(host, int(port), context=ctx)
    raise SystemExit("the lab's API does not answer")

def run(*args, cwd=None):
    return subprocess.run(list(args), cwd=cwd, check=True, capture_output=True, text=True).stdout

def workshop(*args):
    return subprocess.run([os.path.join(root, "scripts/workshop"), *args, "--data-dir", data], capture_output=True, text=True)

def kubectl(*args):
    return run("kubectl", "--kubeconfig", os.path.join(data, "kubeconfig"), "--cache-dir", os.path.join(data, "kcache"), *args)

def git(*args):
    return run("git", "-C", ws, *args)

def wait_until(pred, limit=60.0):
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if pred():
            return True
        time.sleep(0.005)
    return False

samples = []
stop = threading.Event()
def sample():
    with open(samples_file, "w") as out:
        out.write("seconds,rss_mb,threads\n")
        start = time.monotonic()
        while not stop.is_set():
            try:
                status = open("/proc/%d/status" % lab_pid).read()
            except OSError:
                break
            rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
            threads = int(re.search(r"Threads:\s+(\d+)", status).group(1))
            samples.append((time.monotonic() - start, rss, threads))
            out.write("%.0f,%.1f,%d\n" % samples[-1]); out.flush()
            stop.wait(10)
threading.Thread(target=sample, daemon=True).start()

# the tutorial up to step 4, as a participant does it (run --auto uses the running lab)
r = workshop("run", "--auto", "--to", "4")
if r.returncode != 0:
    raise SystemExit("run --auto --to 4 failed:\n" + r.stdout + r.stderr)
g = lab["git"]
url = g["url"].replace("http://", "http://%s:%s@" % (g["username"], quote(g["password"], safe="")))
subprocess.run(["git", "clone", "-q", url, ws], check=True)
dep = "/apis/apps/v1/namespaces/default/deployments/podinfo"
cm = "/api/v1/namespaces/default/configmaps/soak"

def applied():
    s, b = api("GET", cm)
    return json.loads(b)["data"]["push"] if s == 200 else None

push_times, heal_times, lost, resets, demos = [], [], 0, 0, 0
total = pushes + drifts
deadline = time.monotonic() + minutes * 60
every = minutes * 60 / total
next_at = time.monotonic()
p = d = 0
while p < pushes or d < drifts:
    next_at += every
    if p * drifts <= d * pushes and p < pushes:   # interleave pushes and drifts evenly
        p += 1
        git("pull", "-q", "--rebase", "origin", "main")
        with open(os.path.join(ws, "deploy/kubernetes/soak.yaml"), "w") as f:
            f.write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: soak\n  namespace: default\ndata:\n  push: \"%d\"\n" % p)
        git("add", "-A"); git("commit", "-q", "-m", "push %d" % p)
        t0 = time.monotonic()
        git("push", "-q", "origin", "main")
        if wait_until(lambda: applied() == str(p), 30):
            push_times.append(time.monotonic() - t0)
        else:
            lost += 1
        if p % 100 == 0 and p < pushes:
            # a participant goes back a step and does it again; the instructor shows drift repair
            resets += workshop("reset", "4").returncode == 0 and workshop("run", "--auto", "--from", "4", "--to", "4").returncode == 0
            demos += workshop("demo", "drift").returncode == 0
            git("pull", "-q", "--rebase", "origin", "main")
    else:
        d += 1
        s, b = api("GET", dep)
        if s == 200:
            uid = json.loads(b)["metadata"]["uid"]
            t0 = time.monotonic()
            api("DELETE", dep, body='{"propagationPolicy":"Background"}')
            def back():
                s, b = api("GET", dep)
                return s == 200 and json.loads(b)["metadata"]["uid"] != uid
            if wait_until(back, 30):
                heal_times.append(time.monotonic() - t0)
    pause = next_at - time.monotonic()
    if pause > 0:
        time.sleep(pause)
stop.set()
time.sleep(0.5)

fsck = subprocess.run(["git", "--git-dir", os.path.join(data, "git/workshop.git"), "fsck", "--strict"], capture_output=True, text=True)
def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q / 100 * (len(xs) - 1))))] if xs else float("nan")
rss = [s[1] for s in samples]
threads = [s[2] for s in samples]
half = len(rss) // 2
last100 = push_times[-100:]
print("%-34s %s" % ("duration", "%.1f min" % (samples[-1][0] / 60 if samples else 0)))
print("%-34s %d of %d applied, %d lost" % ("pushes", len(push_times), pushes, lost))
print("%-34s %d of %d healed" % ("drift repairs", len(heal_times), drifts))
print("%-34s %d resets, %d demo drift runs" % ("in between", resets, demos))
print("%-34s p50 %.0f ms, p95 %.0f ms" % ("push -> applied, last 100", pct(last100, 50) * 1000, pct(last100, 95) * 1000))
print("%-34s p50 %.0f ms, p95 %.0f ms" % ("delete -> recreated, all", pct(heal_times, 50) * 1000, pct(heal_times, 95) * 1000))
print("%-34s first half max %.0f MB, second half max %.0f MB, last %.0f MB" % ("lab RSS", max(rss[:half] or [0]), max(rss[half:] or [0]), rss[-1] if rss else 0))
print("%-34s min %d, max %d, last %d" % ("lab threads", min(threads or [0]), max(threads or [0]), threads[-1] if threads else 0))
print("%-34s %s" % ("git fsck --strict", "clean" if fsck.returncode == 0 and not fsck.stdout.strip() else fsck.stdout + fsck.stderr))
ok = (max(rss or [0]) < 400 and lost == 0 and pct(last100, 95) < 0.300 and fsck.returncode == 0
      and max(threads[half:] or [0]) <= max(threads[:half] or [0]) + 20)
print("verdict: " + ("within budget" if ok else "OVER BUDGET"))
sys.exit(0 if ok else 1)
