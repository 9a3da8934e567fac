#!/usr/bin/env bash
# Embedded cluster benchmark: time from `up` to a ready lab, 500 Deployments applied and all
# Available, and the lab's memory (RSS). Prints one figure per line and a verdict against the
# budgets (ready 3 s, 500 Available 10 s, RSS under 400 MB). Loopback only; cleans up after itself.
#
# "kubectl apply returned" is mostly kubectl's own time: with --validate=strict it parses the
# group's OpenAPI v3 document once per object to learn that the server takes fieldValidation, as it
# does against any cluster whose OpenAPI carries schemas. "Available after apply returned" is the
# server's and the controllers' share alone.
#
#   bench/cluster-bench.sh [COUNT]      (COUNT Deployments, default 500)
set -euo pipefail

count="${1:-500}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
lab_pid=""
cleanup() {
  [ -n "$lab_pid" ] && kill "$lab_pid" 2>/dev/null && wait "$lab_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.2f}')"; }

"$root/scripts/workshop" --version >/dev/null   # build once, outside the measurement

start="$(now)"
"$root/scripts/workshop" up --cluster embedded --data-dir "$work/lab" >"$work/up.log" 2>&1 &
lab_pid=$!
export KUBECONFIG="$work/lab/kubeconfig"
kc=(kubectl --cache-dir "$work/kube-cache" --request-timeout=5s)
for _ in $(seq 1 300); do
  if [ -f "$work/lab/lab.json" ] && "${kc[@]}" get --raw /readyz >/dev/null 2>&1; then break; fi
  sleep 0.02
done
ready="$(now)"
"${kc[@]}" get --raw /readyz >/dev/null || { cat "$work/up.log"; echo "lab did not become ready" >&2; exit 1; }

python3 - "$count" >"$work/many.yaml" <<'PY'
import sys
n = int(sys.argv[1])
print("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bench")
for i in range(n):
    print(f"""---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  namespace: bench
spec:
  replicas: 1
  selector:
    matchLabels: {{app: app-{i}}}
  template:
    metadata:
      labels: {{app: app-{i}}}
    spec:
      containers:
      - name: app
        image: ghcr.io/stefanprodan/podinfo:6.5.0
        ports: [{{containerPort: 9898}}]""")
PY

"${kc[@]}" create namespace bench >/dev/null 2>&1 || true
apply_start="$(now)"
"${kc[@]}" apply --server-side -f "$work/many.yaml" >/dev/null
applied="$(now)"
# One list per poll (kubectl wait --all would make two requests per object at kubectl's own 5 QPS).
for _ in $(seq 1 1200); do
  n="$("${kc[@]}" get deployments -n bench -o jsonpath='{range .items[*]}{.status.availableReplicas}{"\n"}{end}' | grep -c '^1$' || true)"
  [ "$n" -ge "$count" ] && break
  sleep 0.1
done
available="$(now)"
[ "$n" -ge "$count" ] || { echo "only $n of $count Deployments became Available" >&2; exit 1; }
rss_kb="$(ps -o rss= -p "$(pgrep -f -n "workshop.jar up --cluster embedded --data-dir $work/lab")")"

ready_s="$(elapsed "$start" "$ready")"
all_s="$(elapsed "$apply_start" "$available")"
apply_s="$(elapsed "$apply_start" "$applied")"
settle_s="$(elapsed "$applied" "$available")"
rss_mb=$((rss_kb / 1024))
printf '%-44s %8s   %s\n' "figure" "value" "budget"
printf '%-44s %7ss   %s\n' "up -> ready (JVM start included)" "$ready_s" "3 s"
printf '%-44s %7ss   %s\n' "$count Deployments: kubectl apply returned" "$apply_s" "-"
printf '%-44s %7ss   %s\n' "$count Deployments: Available after apply returned" "$settle_s" "-"
printf '%-44s %7ss   %s\n' "$count Deployments: all Available" "$all_s" "10 s"
printf '%-44s %6sMB   %s\n' "lab RSS after the run" "$rss_mb" "400 MB"
