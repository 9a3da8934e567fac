"""Trials for bench/sync-bench.sh: drives a running lab as a participant (git push, deletes) and
measures, with one kept-alive HTTPS connection to the lab's API, how long until the cluster follows."""
import base64, http.client, json, os, ssl, subprocess, sys, tempfile, time
from urllib.parse import quote

data, ws, trials, nudge = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
lab = json.load(open(os.path.join(data, "lab.json")))
import re
cfg = open(os.path.join(data, "kubeconfig")).read()
server = re.search(r"server: (\S+)", cfg).group(1)
token = re.search(r"token: (\S+)", cfg).group(1)
ca = base64.b64decode(re.search(r"certificate-authority-data: (\S+)", cfg).group(1)).decode()
ctx = ssl.create_default_context(cadata=ca)
host, port = server.replace("https://", "").split(":")
conn = http.client.HTTPSConnection(host, int(port), context=ctx)
H = {"Authorization": "Bearer " + token, "Accept": "application/json"}

def api(method, path, body=None, ctype="application/json"):
    headers = dict(H)
    if body is not None:
        headers["Content-Type"] = ctype
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    return r.status, r.read()

def kubectl(*args):
    subprocess.run(["kubectl", "--kubeconfig", os.path.join(data, "kubeconfig"),
                    "--cache-dir", os.path.join(data, "kcache"), *args], check=True, capture_output=True)

def git(*args):
    subprocess.run(["git", "-C", ws, *args], check=True, capture_output=True)

def wait_until(pred, limit=60.0):
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if pred():
            return
        time.sleep(0.005)
    raise SystemExit("timed out waiting")

g = lab["git"]
url = g["url"].replace("http://", "http://%s:%s@" % (g["username"], quote(g["password"], safe="")))
subprocess.run(["git", "clone", "-q", url, ws], check=True)
kubectl("apply", "-f", os.path.join(ws, "flux/install.yaml"))
kubectl("-n", "flux-system", "create", "secret", "generic", "workshop-git",
        "--from-literal=username=flux", "--from-literal=password=" + g["operatorPassword"])
kubectl("apply", "-f", os.path.join(ws, "flux/workshop-source.yaml"), "-f", os.path.join(ws, "flux/workshop-sync.yaml"))
if nudge == "off":
    kubectl("-n", "flux-system", "patch", "gitrepository", "workshop", "--type=merge", "-p", '{"spec":{"interval":"1s"}}')
    kubectl("-n", "flux-system", "patch", "kustomization", "workshop", "--type=merge", "-p", '{"spec":{"interval":"2s"}}')

dep = "/apis/apps/v1/namespaces/default/deployments/podinfo"
cm = "/api/v1/namespaces/default/configmaps/bench"
os.makedirs(os.path.join(ws, "deploy/kubernetes"), exist_ok=True)
subprocess.run(["cp", os.path.join(ws, "examples/podinfo-dep.yaml"), os.path.join(ws, "deploy/kubernetes/")], check=True)
git("add", "-A"); git("commit", "-q", "-m", "Add podinfo"); git("push", "-q", "origin", "main")
wait_until(lambda: api("GET", dep)[0] == 200)

def value():
    s, b = api("GET", cm)
    return json.loads(b)["data"]["trial"] if s == 200 else None

# The first trials run on a cold JVM (JIT, first JGit fetch, first watch of a kind): they are
# reported apart ("first") and left out of p50/p95, as with any warmed-up JVM benchmark.
WARMUP = 3
push, heal = [], []
for i in range(trials + WARMUP):
    with open(os.path.join(ws, "deploy/kubernetes/bench.yaml"), "w") as f:
        f.write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bench\n  namespace: default\ndata:\n  trial: \"%d\"\n" % i)
    git("add", "-A"); git("commit", "-q", "-m", "trial %d" % i)
    t0 = time.monotonic()
    git("push", "-q", "origin", "main")
    wait_until(lambda: value() == str(i))
    push.append(time.monotonic() - t0)
for i in range(trials + WARMUP):
    s, b = api("GET", dep)
    uid = json.loads(b)["metadata"]["uid"]
    t0 = time.monotonic()
    api("DELETE", dep, body='{"propagationPolicy":"Background"}')
    def back():
        s, b = api("GET", dep)
        return s == 200 and json.loads(b)["metadata"]["uid"] != uid
    wait_until(back)
    heal.append(time.monotonic() - t0)

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
for name, xs in (("push -> applied", push), ("delete -> recreated", heal)):
    warm = xs[WARMUP:]
    print("%-10s %-22s %8.3fs %8.3fs %8.3fs %7d" % (nudge, name, pct(warm, 50), pct(warm, 95), xs[0], len(warm)))
