# Shared by the benchmark scripts: a scratch folder removed on exit, the processes they start
# stopped on exit, git isolated from the user's own configuration, the tool built before any
# measurement. Source it; then add background PIDs to the `pids` array.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" GIT_TERMINAL_PROMPT=0
mkdir -p "$HOME"
git config --global user.name bench
git config --global user.email bench@example.com
git config --global init.defaultBranch main
"$root/scripts/workshop" --version >/dev/null   # build once, outside the measurement
